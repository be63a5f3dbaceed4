"""Write the README's model-zoo tables from the metafiles, so that they never
disagree.

    # rewrite README.md between the markers
    python tools/misc/model_zoo_tables.py
    # exit 1 if README.md is out of date
    python tools/misc/model_zoo_tables.py --check

Reads ``model-index.yml`` (OpenMMLab layout: ``Import`` lists one
``metafile.yml`` per config folder) and renders, per metafile, one Markdown
table: model, config, bpp, the task metrics, GFLOPs, parameters, weights and
the command that produced the numbers. A model's results share one row
unless two of them report the same metric (on different data sets): then it
gets a row per data set and the table a ``data set`` column, so that no number
hides another.
"""
import argparse
import os.path as osp
import sys

import yaml

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
BEGIN, END = '<!-- model-zoo:begin -->', '<!-- model-zoo:end -->'


def _cell(value):
    return '' if value is None else str(value).replace('|', '\\|')


def _rows(results):
    """Merge a model's results into rows, a new row where a metric repeats.

    Returns:
        list[tuple[list[str], dict]]: The data sets and metrics of each row.
    """
    rows = []
    for result in results:
        if not rows or set(rows[-1][1]) & set(result['Metrics']):
            rows.append(([], {}))
        rows[-1][0].append(result['Dataset'])
        rows[-1][1].update(result['Metrics'])
    return rows


def _table(title, models):
    metrics = list(
        dict.fromkeys(k for m in models for r in m['Results']
                      for k in r['Metrics']))
    rows = {m['Name']: _rows(m['Results']) for m in models}
    by_dataset = any(len(r) > 1 for r in rows.values())
    header = [
        'model', 'config', 'bpp', *(['data set'] if by_dataset else []),
        *metrics, 'GFLOPs', 'params (M)', 'weights', 'command'
    ]
    lines = [
        f'### {title}', '', '| ' + ' | '.join(header) + ' |',
        '|' + '---|' * len(header)
    ]
    for m in models:
        md = m.get('Metadata', {})
        weights = m.get('Weights')
        for datasets, values in rows[m['Name']]:
            row = [
                m['Name'], f"[config]({m['Config']})",
                md.get('bpp'), *(['; '.join(datasets)] if by_dataset else []),
                *[values.get(k) for k in metrics],
                md.get('FLOPs (G)'),
                md.get('Parameters (M)'),
                f'[{osp.basename(weights)}]({weights})' if weights else '',
                f"`{m['Command']}`" if m.get('Command') else ''
            ]
            lines.append('| ' + ' | '.join(_cell(v) for v in row) + ' |')
    return '\n'.join(lines)


def render(index_path):
    with open(index_path) as f:
        index = yaml.safe_load(f)
    parts = []
    for metafile in index['Import']:
        with open(osp.join(osp.dirname(index_path), metafile)) as f:
            meta = yaml.safe_load(f)
        for collection in meta['Collections']:
            models = [
                m for m in meta['Models'] if m.get(
                    'In Collection', collection['Name']) == collection['Name']
            ]
            parts.append(
                _table(f"{collection['Name']} ({osp.dirname(metafile)})",
                       models))
    return '\n\n'.join(parts)


def updated_readme(readme, tables):
    if BEGIN not in readme or END not in readme:
        raise ValueError(f'README.md has no {BEGIN} ... {END} section')
    head, rest = readme.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f'{head}{BEGIN}\n{tables}\n{END}{tail}'


def main():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--check', action='store_true')
    args = parser.parse_args()
    readme_path = osp.join(REPO, 'README.md')
    with open(readme_path) as f:
        readme = f.read()
    new = updated_readme(readme, render(osp.join(REPO, 'model-index.yml')))
    if args.check:
        if new != readme:
            print('README.md model-zoo tables differ from the metafiles; run '
                  'python tools/misc/model_zoo_tables.py')
            sys.exit(1)
        print('README.md model-zoo tables match the metafiles')
        return
    with open(readme_path, 'w') as f:
        f.write(new)
    print('README.md model-zoo tables written')


if __name__ == '__main__':
    main()
