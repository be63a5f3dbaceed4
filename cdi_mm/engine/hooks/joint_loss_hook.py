"""Joint training of the codec and the task network (Torfason et al. 2018, Sec.
5)."""
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from cdi_mm.models import CodecStem
from cdi_mm.models.codec_losses import codec_losses
from cdi_mm.registry import HOOKS

__all__ = ['JointLossHook']


@HOOKS.register_module()
class JointLossHook(Hook):
    """Train codec and task network together with the paper's joint loss

        ``gamma * MSE(x, x_hat) * (1 + beta * max(H - H_t, 0)) + task loss``

    on a stock ``ImageClassifier`` or ``EncoderDecoder`` whose backbone is a
    :class:`CodecBackbone` with a trainable stem (``CodecStem(frozen=False)``);
    the model type stays stock. The hook wraps the model's ``loss`` for the
    duration of training: the task loss (cross-entropy, or the decode/auxiliary
    segmentation losses) comes first, then the codec terms from the stem's
    training forward, which runs the synthesis transform in training only
    (inference uses encoder + task network).

    Added to the loss dict, and so logged through the message hub:
    ``loss_codec_distortion`` (gamma * MSE on 0-255), ``loss_codec_rate``
    (gamma * beta * detached MSE * max(H - H_t, 0), see :func:`codec_losses`;
    for the ``entropy-bottleneck`` quantizer gamma * lmbda * bpp),
    ``loss_codec_aux`` (CompressAI's quantile loss, unweighted: only the
    quantiles get its gradient; give them their own learning rate with
    ``paramwise_cfg``), and the diagnostics ``bpp``, ``psnr``, ``entropy`` and
    ``gamma``. Decoder parameters get gradients only through the MSE term. Keep
    ``RefreshCodingTablesHook`` in the config: the coding tables are rebuilt
    before every validation and checkpoint, so ``compress`` stays exact after
    fine-tuning.

    Args:
        gamma (float): Weight of the codec terms. Defaults to 1.
        beta (float): Weight of the entropy penalty relative to the distortion
            (ste-centers). Defaults to 10.
        target_entropy (float): H_t in bits per symbol. Defaults to 1.27.
        lmbda (float): Weight of bpp for the entropy-bottleneck quantizer.
            Defaults to 100.
        warmup_iters (int): Ramp gamma linearly from gamma / warmup_iters to
            gamma over the first iterations. Defaults to 0 (no ramp).
    """

    priority = 'NORMAL'

    def __init__(self,
                 gamma=1.0,
                 beta=10.0,
                 target_entropy=1.27,
                 lmbda=100.0,
                 warmup_iters=0):
        if gamma < 0 or beta < 0 or lmbda < 0 or warmup_iters < 0:
            raise ValueError(
                'gamma, beta, lmbda and warmup_iters must be >= 0, got '
                f'{gamma}, {beta}, {lmbda}, {warmup_iters}')
        self.gamma = gamma
        self.beta = beta
        self.target_entropy = target_entropy
        self.lmbda = lmbda
        self.warmup_iters = warmup_iters
        self.current_gamma = gamma
        self._model = None
        self._stems = []

    def before_train(self, runner):
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        self.attach(model)

    def attach(self, model):
        """Wrap ``model.loss`` so that it adds the codec terms (done by the
        Runner in ``before_train``; call it directly to use the joint loss
        outside a Runner)."""
        self._stems = [m for m in model.modules() if isinstance(m, CodecStem)]
        trainable = [m for m in self._stems if not m.frozen]
        if not trainable:
            raise ValueError(
                'JointLossHook needs a trainable codec: set frozen=False on '
                'the CodecStem of the model' +
                ('' if self._stems else ' (the model has no CodecStem)'))
        self._stems = trainable
        task_loss = model.loss

        def joint_loss(*args, **kwargs):
            losses = task_loss(*args, **kwargs)
            losses.update(self.codec_terms())
            return losses

        model.loss = joint_loss
        self._model = model

    def detach(self):
        """Give the model back its own ``loss``."""
        if self._model is not None:
            del self._model.loss
            self._model = None

    def after_train(self, runner):
        self.detach()

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        if self.warmup_iters:
            self.current_gamma = self.gamma * min(
                1.0, (runner.iter + 1) / self.warmup_iters)

    def codec_terms(self):
        """The weighted codec losses and diagnostics of the stems' last
        forward."""
        terms = {}
        for i, stem in enumerate(self._stems):
            out, stem.last_output = stem.last_output, None
            if out is None:
                raise RuntimeError(
                    'the trainable CodecStem did not run a training forward '
                    'before the loss (is the model in train mode?)')
            parts = codec_losses(stem.codec, out['x'], out, self.beta,
                                 self.target_entropy, self.lmbda)
            tag = 'codec' if len(self._stems) == 1 else f'codec{i}'
            terms[f'loss_{tag}_distortion'] = self.current_gamma * parts[
                'loss_distortion']
            terms[f'loss_{tag}_rate'] = self.current_gamma * parts['loss_rate']
            if 'loss_aux' in parts:
                terms[f'loss_{tag}_aux'] = parts['loss_aux']
            suffix = '' if len(self._stems) == 1 else str(i)
            for name in ('bpp', 'psnr', 'entropy'):
                terms[name + suffix] = parts[name]
        terms['gamma'] = out['x'].new_tensor(self.current_gamma)
        return terms
