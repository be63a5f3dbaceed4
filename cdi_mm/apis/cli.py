"""Command-line entry points: bad input gets one line naming the problem, not a
traceback."""
import os
import sys

__all__ = ['run_tool']


def run_tool(main):
    """Run a tool's ``main()``; an error becomes one line on stderr, exit
    status 1: ``error: <ErrorType>: <message>``.

    The messages of cdi_mm's errors name the file and the fix
    (``ImageReadError``, ``BitstreamError``, ``CheckpointReadError``,
    ``CodecCheckpointError``, ``NameCollisionError``, ``DatasetEncodingError``,
    ...). ``--debug`` anywhere on the command line (or ``CDI_DEBUG=1``) keeps
    the full traceback instead.

    Args:
        main (Callable[[], object]): The tool's main function (parses
            ``sys.argv``), or the part of it that checks arguments and inputs.

    Returns:
        What ``main`` returns.
    """
    debug = '--debug' in sys.argv or os.environ.get('CDI_DEBUG') == '1'
    sys.argv = [arg for arg in sys.argv if arg != '--debug']
    try:
        return main()
    except KeyboardInterrupt:
        raise
    # one line for every failure, --debug for more
    except Exception as exc:  # noqa: BLE001
        if debug:
            raise
        message = ' '.join(str(exc).split()) or 'no message'
        print(
            f'error: {type(exc).__name__}: {message}\n(run with --debug for '
            'the traceback)',
            file=sys.stderr)
        sys.exit(1)
