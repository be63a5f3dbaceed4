# The C=8 operating point (0.098 bpp) of the stride-8 GDN photo codec, N=96.
_base_ = ['./factorized-prior-s8-n128_c32_eb_1xb8-200k_photos.py']
model = dict(codec=dict(channels=8, N=96), lmbda=800.0, target_bpp=0.098)
