# The C=32 photo codec at the C=16 codec's width (N=96), warm-started from the
# trained C=16 codec (Net2Net widening: same reconstruction, 16 new latent
# channels that start silent) instead of from scratch; rate control then raises
# the rate to 0.635 bpp.
#   python tools/model_converters/widen_codec.py \
#       checkpoints/factorized-prior-s8-n96_c16_eb_1xb8-200k_photos_*.pth \
#       configs/codec/factorized-prior-s8-n96_c32_eb_1xb8-200k_photos.py \
#       work_dirs/factorized-prior-s8-n96_c32_from_c16.pth
_base_ = ['./factorized-prior-s8-n128_c32_eb_1xb8-200k_photos.py']
model = dict(codec=dict(N=96), lmbda=140.0)
load_from = 'work_dirs/factorized-prior-s8-n96_c32_from_c16.pth'
