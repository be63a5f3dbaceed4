import pytest
from mmengine.registry import MODEL_WRAPPERS, DefaultScope

import cdi_mm.openmmlab  # noqa: F401
from cdi_mm.registry import SCOPES


@pytest.mark.parametrize('scope', SCOPES)
def test_cresnet_builds_from_both_scopes(scope):
    import importlib
    registry = importlib.import_module(f'{scope}.registry')
    with DefaultScope.overwrite_default_scope(scope):
        model = registry.MODELS.build(
            dict(type='CResNet', depth=39, in_channels=8, base_channels=4))
    assert type(model).__name__ == 'CResNet'
    assert model.in_channels == 8


def test_components_registered_in_both_frameworks():
    import mmpretrain.registry as pre
    import mmseg.registry as seg
    for registry in (pre, seg):
        assert registry.MODELS.get('CResNet') is cdi_mm.models.CResNet
        assert registry.DATASETS.get('FashionScenesDataset') is \
            cdi_mm.datasets.FashionScenesDataset
    assert MODEL_WRAPPERS.get(
        'DeviceAgnosticDDP') is cdi_mm.engine.DeviceAgnosticDDP


def test_custom_imports_registers(tmp_path):
    from mmengine.config import Config
    cfg_file = tmp_path / 'cfg.py'
    cfg_file.write_text(
        "custom_imports = dict(imports=['cdi_mm.openmmlab'], "
        "allow_failed_imports=False)\nmodel = dict(type='CResNet', depth=51)\n"
    )
    cfg = Config.fromfile(str(cfg_file))
    assert cfg.model.depth == 51
