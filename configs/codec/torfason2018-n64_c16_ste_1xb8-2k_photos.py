_base_ = ['./torfason2018-n64_c32_ste_1xb8-2k_photos.py']
model = dict(codec=dict(channels=16), target_entropy=1.32)
