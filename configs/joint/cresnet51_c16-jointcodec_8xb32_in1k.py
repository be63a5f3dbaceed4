# Control at C=16: cResNet-51 from scratch (the classifier's full schedule) on
# the jointly fine-tuned, then frozen, codec.
_base_ = ['../cresnet/cresnet51_c16_8xb32_in1k.py']
codec_checkpoint = 'work_dirs/cresnet51_c16-joint_8xb32-10e_in1k/epoch_10.pth'
model = dict(
    backbone=dict(
        stem=dict(
            codec_checkpoint=codec_checkpoint,
            codec_name='backbone.stem.codec')))
