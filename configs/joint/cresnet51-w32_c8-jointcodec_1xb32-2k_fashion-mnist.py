# The paper's control for joint training: a cResNet-51 trained from scratch
# (same schedule as the separately trained one) on the jointly fine-tuned, then
# frozen, codec.
_base_ = ['../cresnet/cresnet51-w32_c8_1xb32-2k_fashion-mnist.py']
codec_checkpoint = 'work_dirs/cresnet51-w32_c8-joint_1xb32-1k_fashion-mnist/iter_1000.pth'  # noqa: E501
model = dict(
    backbone=dict(
        stem=dict(
            codec_checkpoint=codec_checkpoint,
            codec_name='backbone.stem.codec')))
