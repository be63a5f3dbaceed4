# The C=16 operating point (0.33 bpp) of the stride-8 GDN photo codec, N=96.
_base_ = ['./factorized-prior-s8-n128_c32_eb_1xb8-200k_photos.py']
model = dict(codec=dict(channels=16, N=96), lmbda=200.0, target_bpp=0.33)
