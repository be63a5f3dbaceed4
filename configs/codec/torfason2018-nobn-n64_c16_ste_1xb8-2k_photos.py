# The paper's codec without BatchNorm (convolution biases instead), for the
# equal-budget architecture study
# (tools/experiments/codec_architecture_study.sh).
_base_ = ['./torfason2018-n64_c16_ste_1xb8-2k_photos.py']
model = dict(codec=dict(batch_norm=False))
