#!/usr/bin/env python3
"""Generates core/data/standards/*.json from shared/spec/STANDARDS.md (issue 14).

Run by hand, never by the build:  python3 core/data/standards/generate.py [path/to/STANDARDS.md]
With --t2s it also writes core/tests/data/t2s-004.txt, the Traditional → Simplified map of every character of
seed 004 that differs (from OpenCC's t2s, `pip install opencc`), which the quote test uses to read 004 as
Simplified.
(default: ../shared/spec/STANDARDS.md beside the repository). It reads every 8-column indicator row of
STANDARDS.md §1, reads the Threshold and Period columns into kind / comparator / exact threshold /
unit / period (with the exceptions spelt out in OVERRIDES below), and writes one file per standard, one
indicator per line, so that a diff shows the rows that changed. Check the result with
`cargo test -p linli-core --test standards` (quotes against the seeds, totals, every row parsed).
"""
import hashlib, json, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ARGS = [a for a in sys.argv[1:] if not a.startswith('--')]
SPEC = ARGS[0] if ARGS else os.path.join(HERE, '../../../../shared/spec/STANDARDS.md')

STANDARDS = [
    # file id, name_zh, name_en, source, id prefixes
    ('zhengzhou', '郑州市星级社区及社区办公用房标准', 'Zhengzhou star community and office-space standard', '000', ['ZZ-']),
    ('shanghai', '上海市社区建设示范（模范）单位标准', 'Shanghai community-building demonstration units', '001', ['SH-']),
    ('six-type', '“六型”社区指标', 'Six-type community indicators', '002', ['SIX-']),
    ('learning', '示范“学习型社区”标准', 'Demonstration learning community', '004', ['LRN-']),
    ('plans-003', '社区建设十篇方案中的目标', 'Targets of the ten community-building plans', '003',
     ['ENVD-', 'SAFEA-', 'SAFEB-', 'SAFEC-', 'SAFC-', 'DIS-', 'RUR-', 'REN-', 'SVC-', 'ARC-']),
    ('opinions-004', '社区建设实施意见中的目标', 'Targets of the implementation opinions', '004', ['IM-', 'CTY-', 'JX-', 'DIG-']),
]

# 001 四(一)–(十): each standard's heading as the seed words it.
SHANGHAI_HEADINGS = [("组织领导坚强有力", "Strong organisation and leadership"), ("社区党建成效显著", "Effective community party building"), ("社区民主不断推进", "Community democracy advancing"), ("社区服务功能完备", "Complete community services"), ("社区卫生不断发展", "Community health developing"), ("社区文化活跃繁荣", "Lively community culture"), ("社区治安状况良好", "Good public order"), ("社区环境整洁优美", "Clean and pleasant environment"), ("社区共建富有成效", "Effective co-building"), ("基础设施建设完善", "Complete infrastructure")]

STARS = {  # code: (number, name_zh, name_en)
    'CIV': ('一', '文明社区', 'Civilised'), 'HYG': ('二', '卫生社区（社区物业管理）', 'Hygienic (property management)'),
    'ENV': ('三', '环保社区', 'Environmental'), 'SAFE': ('四', '平安社区', 'Safe'),
    'EMP': ('五', '充分就业社区', 'Full employment'), 'ARMY': ('六', '双拥社区', 'Army–civilian'),
    'TRAF': ('七', '无交通违章社区', 'No traffic violations'), 'BUILD': ('八', '无违法建设社区', 'No illegal construction'),
    'STALL': ('九', '无占道经营社区', 'No street stalls'), 'NET': ('十', '无不良网吧社区', 'No bad internet cafés'),
    'CHAR': ('十一', '慈善社区', 'Charity'), 'SERV': ('十二', '社区服务业先进社区', 'Service industry'),
    'CULT': ('十三', '文化社区', 'Culture'), 'HLTH': ('十四', '健康社区', 'Health'),
    'OFFICE': ('十五', '综合用房达标社区', 'Office space'), 'FPM': ('十六', '计生及流动人口管理社区', 'Family planning and migrants'),
}
PREFIX_GROUPS = {
    'ENVD': ('篇1 城市环境', '003 篇1 urban environment'), 'SAFEA': ('篇2 方案1', '003 篇2 safety plan 1'),
    'SAFEB': ('篇2 方案2', '003 篇2 safety plan 2'), 'SAFEC': ('篇2 方案3', '003 篇2 safety plan 3'),
    'SAFC': ('篇3 安全社区', '003 篇3 safety community'), 'DIS': ('篇4 残疾人工作', '003 篇4 disability work'),
    'RUR': ('篇5 农村新社区', '003 篇5 rural communities'), 'REN': ('篇6 老旧小区改造', '003 篇6 old-compound renovation'),
    'SVC': ('篇9 社区服务中心', '003 篇9 service centres'), 'ARC': ('篇8、篇10 档案', '003 篇8, 篇10 archives'),
    'IM': ('第一篇 社区建设', '004 第一篇 community building'), 'CTY': ('第二篇 社区建设', '004 第二篇 community building'),
    'JX': ('第三篇 社区用房与标识', '004 第三篇 premises and signs'), 'DIG': ('第五篇 社区信息化', '004 第五篇 digital community'),
}
SIX_BLOCKS = {'工作指导': ('GD', '工作指导扎实有力', 'Work guidance'), '管理服务': ('MS', '管理服务优质高效', 'Management and services'),
              '保障': ('BZ', '保障措施落实到位', 'Support measures'), '社会参与': ('CY', '社会参与广泛有序', 'Social participation')}

UNITS_ZH = {
    'volunteers': '名志愿者', 'households': '户', 'persons': '人', 'respondents': '名受访者', 'units': '个单位',
    'organisations': '个组织', 'm²': '平方米', 'volumes': '册', 'titles': '种', 'days': '天', 'hours': '小时',
    'yuan': '元', 'events': '次', 'meetings': '次', 'postings': '期', 'rounds': '轮', 'cases': '件', 'disputes': '件',
    'staff': '人', 'compounds': '个小区', 'groups': '个小组', 'parts': '处', 'lamps': '盏', 'facilities': '处',
    'villages': '个村', 'slogans': '幅', 'points': '个', 'instructors': '名指导员', 'visits': '次', 'screenings': '次',
    'year': '年', 'sub-districts': '个街道', 'awards': '个', 'courtyards': '个', 'garbage houses': '座', 'person-times': '人次',
    'days of calls': '天', 'weeks': '周', 'cases per population': '件', 'workers': '名工作者', 'managers': '名协管员',
    'communities': '个社区', 'projects': '个', 'years': '年', 'votes': '户',
}

# Explicit readings where the Threshold column is not one of the regular shapes, and the natural unit of
# each share (what its numerator counts: the gap of SIX-29 is in volunteers). Every computed or manual
# row not read by the regular shapes must be here (the generator stops otherwise).
# kind, comparator, threshold, threshold_max, unit, note
O = {}
def o(i, kind, cmp=None, t=None, unit=None, tmax=None, note=None, no_threshold=False):
    O[i] = dict(kind=kind, comparator=cmp, threshold=t, threshold_max=tmax, unit=unit, note=note, no_threshold=no_threshold)

o('ZZ-STAR-ENV-4', 'quantity', '>=', None, 'm²', no_threshold=True)
o('ZZ-STAR-SAFE-7', 'share', '>=', '1', 'parts', note='coverage basis not defined in the seed (§5)')
o('ZZ-STAR-EMP-6', 'quantity', '=', '0', 'persons')
o('ZZ-STAR-TRAF-3', 'quantity', '=', '0', 'cases')
o('ZZ-STAR-HLTH-3', 'share', '>', None, 'persons', note='rising: better than the previous period; no number (§5)', no_threshold=True)
o('ZZ-OFF-R2-1', 'quantity', '>=', '3', 'staff', note='1 police officer + 2 full-time guards, read as ≥ 3 persons in post')
o('ZZ-OFF-R4-1', 'quantity', '>=', '2000', 'volumes', note='also ≥ 1,000 titles (not checked by this row)')
o('ZZ-WS-1', 'quantity', '>=', '7', 'staff', note='7–10: the upper bound is advisory (§5 22)')
o('ZZ-PLAN-OC', 'quantity', '>=', '5', 'compounds')
o('ZZ-PLAN-SIZE', 'quantity', '>=', '3000', 'households', tmax='5000')
o('ZZ-PLAN-STAR-1', 'quantity', '>=', '3', 'communities', note='≥ 1 city-level and ≥ 2 district-level; read as ≥ 3 recognised')
o('ZZ-PLAN-STAR-2', 'quantity', None, None, 'communities', no_threshold=True, note='a target per named community')
o('ZZ-FUND-1', 'quantity', None, None, 'yuan', no_threshold=True, note='subsidy = area m² × 2,000 yuan: a formula, not pass/fail')
o('ZZ-FUND-2', 'share', '>=', '10', 'yuan', note='allocation (yuan) ÷ households ≥ 10 yuan a household')
o('ZZ-FUND-4', 'quantity', None, None, 'yuan', no_threshold=True, note='10,000 yuan per qualifying organisation: an amount')
o('ZZ-FUND-5', 'quantity', None, None, 'yuan', no_threshold=True, note='allowances per month: amounts')
o('ZZ-FUND-6', 'cadence', '>=', '1', 'meetings', note='on the month\'s fourth-week Friday at 09:00 (RULES M5)')
o('SH-4-6', 'share', '>=', '0.15', 'volunteers')
o('SH-4-7', 'share', '>=', None, 'respondents', no_threshold=True)
o('SH-5-2', 'share', '>', None, 'households', no_threshold=True, note='rising: no number (§5)')
o('SH-5-3', 'share', '>', None, 'persons', no_threshold=True, note='rising: no number (§5)')
o('SH-8-7', 'share', '>=', '0.25', 'm²', note='renovated old areas ≥ 16 % (rule-set override)')
o('SH-8-8', 'quantity', '<=', None, 'cases', no_threshold=True, note='external standard not given in the seed')
o('SIX-26a', 'cadence', '>=', '1', 'rounds')
o('SIX-26b', 'share', '>=', '1', 'persons')
o('SIX-27a', 'quantity', '>=', '2', 'organisations')
o('SIX-28a', 'share', '>=', '1', 'persons', note='persons visited every week ÷ persons to visit')
o('SIX-28b', 'share', '>=', '1', 'persons', note='persons called every day ÷ solitary elderly')
o('SIX-31', 'share', '>=', '1', 'persons', note='persons with ≥ 2 services in the year ÷ persons (per-person reading, §5 16)')
o('SIX-32', 'share', '>=', '1', 'persons', note='persons with ≥ 4 visits in the year ÷ persons')
o('SIX-38e', 'quantity', '<', None, 'cases', no_threshold=True, note='below the city urban average (not in the seed)')
o('SIX-40a', 'share', '>=', '0.01', 'managers', note='managers ÷ rental households ≥ 1/100 (lenient end, §5 20)')
o('SIX-43b', 'share', '<=', None, 'cases', no_threshold=True, note='national standard not named')
o('SIX-47', 'share', '>=', None, 'persons', no_threshold=True)
o('SIX-51', 'quantity', '>=', '150', 'days')
o('SIX-54', 'cadence', '>=', '2', 'events')
o('SIX-58', 'share', '>=', '1', 'persons')
o('SIX-59b', 'share', '>', None, 'persons', no_threshold=True, note='rising: no number (§5)')
o('SIX-64c', 'quantity', '>=', '56', 'hours')
o('SIX-66a', 'quantity', '>=', '1', 'staff', note='1–2: the upper bound is advisory (§5 22)')
o('SIX-66c', 'quantity', '>=', '10', 'days')
o('SIX-BZ-6', 'quantity', '>=', None, 'yuan', no_threshold=True, note='reference pay of fully funded institutions, not in the seed')
o('SIX-BZ-10c', 'share', '>=', '1', 'volunteers', note='volunteers with a confirmed service this month ÷ volunteers (§5 16)')
o('SIX-BZ-11a', 'share', '>=', '0.002', 'workers', note='workers ÷ households ≥ 1/500')
o('SIX-CY-6', 'share', '>=', '0.85', 'persons', note='party members and students with ≥ 20 confirmed hours ÷ party members and students')
o('LRN-9a', 'quantity', '>=', '1', 'points')
o('SIX-66b', 'quantity', '>=', '10', 'volunteers')
o('LRN-9b', 'quantity', '>=', '2', 'instructors', note='per point: the smallest point counts')
o('LRN-10', 'share', '<=', '1', 'cases', note='flat or falling: this year\'s cases (num) ÷ last year\'s (den) ≤ 1')
o('ENVD-1', 'quantity', '>=', '2000', 'm²', note='2,000–3,000 m²: the upper bound is advisory')
o('ENVD-2', 'quantity', '>=', '1', 'compounds')
o('ENVD-3', 'quantity', '>=', '1', 'courtyards')
o('ENVD-4', 'quantity', '>=', '30', 'garbage houses')
o('ENVD-5', 'quantity', '>=', '5', 'awards', note='1 provincial + 4 municipal')
o('ENVD-6', 'quantity', '>=', '7', 'sub-districts')
o('SAFEA-5', 'share', '>=', '1', 'households', note='rentals with a pledge ÷ rentals')
o('SAFEA-7', 'share', '>=', '1', 'persons', note='persons visited this quarter ÷ persons under assistance')
o('SAFEB-2', 'share', '>=', '1', 'days', note='days with both patrols ÷ days')
o('SAFEC-4', 'quantity', '>=', '5', 'slogans')
o('DIS-13', 'quantity', '>=', '1', 'communities')
o('RUR-9', 'quantity', '>=', '10', 'villages', note='10 demonstration villages (168 central villages in the counties)')
o('REN-1', 'quantity', '<=', '2000', 'year', note='year built ≤ 2000')
o('REN-2', 'share', '>=', '2/3', 'households')
o('REN-3', 'quantity', '>=', '5', 'days', note='working days of notice; posted before early May')
o('REN-5', 'count', '>=', '2', 'rounds')
o('REN-6', 'count', '>=', '1', 'meetings')
o('REN-7', 'quantity', '>=', '5', 'days', note='working days of notice')
o('REN-8', 'quantity', '>', '0', 'days', note='days from the representatives\' meeting to the start of works')
o('REN-11', 'share', '>=', '1', 'compounds', note='"basically" all')
o('SVC-3', 'quantity', '>=', None, 'm²', no_threshold=True, note='the standard is not given in the seed')
o('IM-2', 'quantity', '>=', '20000', 'yuan')
o('IM-3', 'quantity', '>=', '17680', 'yuan', note='prior-year urban per-capita disposable income (17,680 for 2009)')
o('IM-4', 'quantity', None, None, 'yuan', no_threshold=True, note='pay amounts per month')
o('IM-5', 'quantity', '>=', '1', 'projects', note='per unit: the unit with the fewest counts')
o('IM-6', 'quantity', '>=', '500', 'yuan', tmax='1000')
o('IM-7', 'quantity', '>=', '1', 'persons', note='1–2: the upper bound is advisory')
o('CTY-1', 'quantity', '>=', '5', 'staff', tmax='9')
o('CTY-7', 'quantity', None, None, 'yuan', no_threshold=True, note='a reward amount')
o('CTY-8', 'share', '>=', '0.2', 'yuan', note='public funding ÷ construction cost')
o('DIG-1', 'quantity', '>=', '10', 'volunteers', tmax='20')
o('DIG-5', 'quantity', None, None, 'years', no_threshold=True, note='programme duration')

# Units of shares read by the regular shapes.
SHARE_UNITS = {
    'ZZ-STAR-EMP-4': 'persons', 'ZZ-STAR-EMP-5': 'persons', 'SH-2-2': 'groups', 'SH-2-3': 'households',
    'SH-2-5': 'respondents', 'SH-2-6': 'organisations', 'SH-3-2': 'respondents', 'SH-5-4': 'persons', 'SH-5-5': 'persons',
    'SH-8-3': 'parts', 'SH-8-5': 'households', 'SH-8-6': 'm²', 'SH-9-2': 'units', 'SIX-5c': 'lamps', 'SIX-7a': 'm²',
    'SIX-9': 'respondents', 'SIX-13c': 'households', 'SIX-16': 'respondents', 'SIX-17b': 'households', 'SIX-18b': 'units',
    'SIX-29': 'volunteers', 'SIX-34a': 'cases', 'SIX-35b': 'parts', 'SIX-38a': 'disputes', 'SIX-38b': 'disputes',
    'SIX-38c': 'disputes', 'SIX-45a': 'respondents', 'SIX-45b': 'respondents', 'SIX-48b': 'cases', 'SIX-62': 'households',
    'SIX-63': 'units', 'SIX-CY-2': 'units', 'SIX-CY-3': 'units', 'SIX-CY-4': 'organisations', 'SIX-CY-5a': 'households',
    'SIX-CY-9': 'respondents', 'LRN-7b': 'person-times', 'LRN-9c': 'persons', 'SAFEC-9': 'persons', 'SAFEC-10': 'households',
    'DIS-3': 'respondents', 'DIS-5': 'persons', 'DIS-6': 'persons', 'DIS-7': 'persons', 'DIS-8': 'persons',
    'DIS-10': 'households', 'RUR-1': 'yuan', 'RUR-2a': 'households', 'RUR-2b': 'households', 'RUR-2c': 'households',
    'RUR-5': 'm²', 'REN-9': 'households', 'ARC-3': 'villages', 'ARC-4': 'villages', 'ARC-6': 'villages', 'ARC-7': 'villages',
    'ARC-8': 'villages',
}

CADENCE_UNITS = {'SIX-GD-5': 'meetings', 'SIX-8': 'events', 'SIX-12': 'meetings', 'SIX-15a': 'postings', 'SIX-15b': 'postings',
                 'SIX-27b': 'meetings', 'SIX-68a': 'events', 'SIX-68c': 'events', 'LRN-7a': 'events', 'LRN-8f': 'postings',
                 'SAFEA-1': 'screenings', 'SAFEA-4': 'meetings', 'SAFEC-1': 'meetings', 'SAFEC-2': 'meetings',
                 'SAFEC-6': 'meetings', 'SAFEC-7': 'events', 'SAFEC-8': 'screenings'}
COUNT_UNITS = {'SIX-59a': 'events', 'SIX-68b': 'events', 'SIX-68d': 'events', 'SIX-68e': 'events', 'SIX-CY-1': 'meetings',
               'LRN-1b': 'meetings', 'SAFEC-3': 'postings'}

def dec(s):
    """'1,000' → '1000', '1.5' stays; a percentage or per-mille becomes an exact decimal."""
    return s.replace(',', '')

def pct(n, per):
    from decimal import Decimal
    v = Decimal(dec(n)) / (Decimal(100) if per == '%' else Decimal(1000))
    s = format(v.normalize(), 'f')
    return s

def read_threshold(rid, text, cls):
    if rid in O:
        return dict(O[rid])
    r = dict(kind=None, comparator=None, threshold=None, threshold_max=None, unit=None, note=None, no_threshold=False)
    if cls == 'CHECKLIST':
        r['kind'] = 'checklist'
        r['no_threshold'] = text.startswith('no number')
        return r
    m = re.match(r'^(≥|≤)?\s*([\d.,]+) (%|‰)', text)
    if m:
        r.update(kind='share', comparator={'≥': '>=', '≤': '<=', None: '>='}[m.group(1)], threshold=pct(m.group(2), m.group(3)),
                 unit=SHARE_UNITS[rid])
        return r
    m = re.match(r'^≥ ([\d,]+) (?:round )?per (quarter|month|week|half-year|half-month)$', text)
    if m:
        r.update(kind='cadence', comparator='>=', threshold=dec(m.group(1)), unit=CADENCE_UNITS[rid])
        return r
    m = re.match(r'^≥ ([\d,]+) per year', text)
    if m:
        r.update(kind='count', comparator='>=', threshold=dec(m.group(1)), unit=COUNT_UNITS[rid])
        return r
    m = re.match(r'^≥ ([\d,.]+) (m²|volumes|titles|persons|person|yuan per year|yuan per month)\b', text)
    if m:
        unit = {'person': 'persons', 'yuan per year': 'yuan', 'yuan per month': 'yuan'}.get(m.group(2), m.group(2))
        r.update(kind='quantity', comparator='>=', threshold=dec(m.group(1)), unit=unit)
        return r
    m = re.match(r'^≥ ([\d,]+)$', text)
    if m:
        r.update(kind='quantity', comparator='>=', threshold=dec(m.group(1)), unit='persons')
        return r
    raise SystemExit(f'{rid}: threshold {text!r} not read; add it to OVERRIDES')

PERIODS = [('any time', 'any_time'), ('year 2012', 'year'), ('year', 'year'), ('half-year', 'half_year'),
           ('half-month', 'half_month'), ('quarter', 'quarter'), ('month', 'month'), ('week', 'week'), ('day', 'day'),
           ('election year', 'year'), ('once per year', 'year'), ('once', 'once'), ('by end', 'once'), ('after', 'once'),
           ('Jan–Oct 2016', 'once'), ('2013', 'once'), ('per project', 'per_project'), ('survey window', 'per_project'),
           ('per dispute', 'per_case'), ('per case', 'per_case'), ('per hand-over', 'per_case'),
           ('holiday periods', 'year'), ('not stated', 'not_stated'), ('—', 'not_stated')]

def read_period(text):
    for pre, p in PERIODS:
        if text == pre or text.startswith(pre + ' ') or text.startswith(pre + ',') or text.startswith(pre + ' ('):
            return p
    raise SystemExit(f'period {text!r} not read')

LEVELS = [('[SD', 'sub-district'), ('[D→community]', 'district'), ('[D]', 'district'), ('[C]', 'city'), ('[CP]', 'compound'),
          ('[town', 'town')]

def level_of(rid, gloss, data):
    if rid.startswith('SIX-GD-') or rid.startswith('SIX-CY-'):
        return 'sub-district'
    for mark, lv in LEVELS:
        if mark in gloss or (mark == '[CP]' and data.startswith('[CP]')) or (mark == '[CP]' and 'per compound [CP]' in data):
            return lv
    return 'community'

def clean_gloss(g):
    return re.sub(r'\s*\[(SD|D|C|CP|town|town pilot|D→community)\]', '', g).strip()

SOURCES = ['ROSTER', 'VOL', 'SURVEY', 'VISIT', 'VOTE', 'ACT', 'MEET', 'DISP', 'REG-RENT', 'REG-MIG', 'REG-UNEMP', 'REG-DIS',
           'REG-HLTH', 'REG-FP', 'REG-KEY', 'REG-UNIT', 'REG-ORG', 'REG-POST', 'REG']

def sources_of(data):
    found = []
    for s in SOURCES:
        if re.search(r'(?<![A-Z-])' + re.escape(s) + r'(?![A-Z-])', data) and s not in found:
            found.append(s)
    return found

def short_name(quote):
    q = quote.strip('「」')
    first = re.split(r'[，,、；;。…]', q)[0]
    name = first if len(first) >= 4 else q.replace('…', '')
    return name[:14]

def group_of(std, rid, src):
    if std == 'zhengzhou':
        m = re.match(r'ZZ-STAR-([A-Z]+)-', rid)
        if m:
            return m.group(1)
        for p, g in [('ZZ-OFF-', 'OFF'), ('ZZ-WS-', 'WS')]:
            if rid.startswith(p):
                return g
        return 'PLAN'
    if std == 'shanghai':
        return re.match(r'(SH-\d+)-', rid).group(1)
    if std == 'six-type':
        return re.match(r'002 (\S+)', src).group(1)
    if std == 'learning':
        return re.match(r'(LRN-\d+)', rid).group(1)
    return re.match(r'([A-Z]+)-', rid).group(1)

def main():
    text = open(SPEC, encoding='utf-8').read()
    version = 'standards-1+' + hashlib.sha256(text.encode()).hexdigest()[:12]
    rows = []
    for line in text.splitlines():
        if not line.startswith('| ') or line.startswith('| ID ') or line.startswith('|---'):
            continue
        cells = [c.strip() for c in line.strip().strip('|').split(' | ')]
        if len(cells) != 8 or not re.match(r'^[A-Z]+-[A-Za-z0-9-]+$', cells[0]):
            continue
        rows.append(cells)
    assert len(rows) == 483, len(rows)
    per = {s[0]: [] for s in STANDARDS}
    for rid, src, quote, gloss, thr, period, cls, data in rows:
        std = next(s[0] for s in STANDARDS if any(rid.startswith(p) for p in s[4]))
        t = read_threshold(rid, thr, cls)
        rec = {
            'id': rid, 'group': group_of(std, rid, src), 'name_zh': short_name(quote), 'quote': quote.strip('「」'),
            'gloss': clean_gloss(gloss), 'kind': t['kind'], 'comparator': t['comparator'], 'threshold': t['threshold'],
        }
        if t['threshold_max']:
            rec['threshold_max'] = t['threshold_max']
        if t['no_threshold'] or (t['kind'] != 'checklist' and t['threshold'] is None):
            rec['no_threshold'] = True
        if cls == 'CHECKLIST' and (thr.startswith('optional') or thr.startswith('suggested') or 'consequence' in thr
                                   or 'optional:' in thr):
            rec['optional'] = True
        rec.update({'threshold_text': thr, 'unit': t['unit'], 'unit_zh': UNITS_ZH[t['unit']] if t['unit'] else None,
                    'period': read_period(period), 'period_text': period, 'class': cls.lower(),
                    'level': level_of(rid, gloss, data), 'source': src})
        if cls == 'COMPUTED':
            rec['formula'] = data
            rec['data_sources'] = sources_of(data)
        else:
            rec['evidence'] = data
        if t['note']:
            rec['note'] = t['note']
        per[std].append(rec)
    for std, name_zh, name_en, seed, _ in STANDARDS:
        inds = per[std]
        groups = []
        for r in inds:
            if r['group'] not in [g['id'] for g in groups]:
                g = {'id': r['group']}
                if std == 'zhengzhou' and r['group'] in STARS:
                    n, zh, en = STARS[r['group']]
                    g.update(name_zh=f'（{n}）{zh}', name_en=en)
                elif std == 'zhengzhou':
                    g.update({'OFF': dict(name_zh='附件1 办公用房标准', name_en='Office-space standard (附件1)'),
                              'WS': dict(name_zh='附件2 社区工作站', name_en='Work station (附件2)'),
                              'PLAN': dict(name_zh='其他目标', name_en='Other targets')}[r['group']])
                elif std == 'shanghai':
                    n = int(r['group'].split('-')[1])
                    nums = '一二三四五六七八九十'
                    zh, en = SHANGHAI_HEADINGS[n - 1]
                    g.update(name_zh=f'四（{nums[n - 1]}）{zh}', name_en=f'{n}. {en}')
                elif std == 'six-type':
                    block = r['group'].split('·')[0]
                    g.update(name_zh=r['group'], block=SIX_BLOCKS[block][0], weight='1')
                elif std == 'learning':
                    g.update(name_zh=f'第{r["group"].split("-")[1]}条', name_en=f'Article {r["group"].split("-")[1]}')
                else:
                    zh, en = PREFIX_GROUPS[r['group']]
                    g.update(name_zh=zh, name_en=en)
                groups.append(g)
        doc = {'standard': std, 'version': version, 'seed': seed, 'name_zh': name_zh, 'name_en': name_en, 'groups': groups}
        if std == 'zhengzhou':
            doc['verdict'] = {'stars': list(STARS), 'city_stars': 16, 'district_stars': 10, 'district_mandatory': ['OFFICE', 'HYG', 'SERV'],
                              'subdistrict_stars': 10, 'fire_gate_row': 'ZZ-STAR-SAFE-9'}
        elif std == 'shanghai':
            doc['verdict'] = {'prerequisites': ['SH-7-8', 'SH-9-4']}
        elif std == 'six-type':
            doc['verdict'] = {'blocks': [{'id': c, 'name_zh': zh, 'name_en': en} for c, zh, en in SIX_BLOCKS.values()],
                              'pass_score': '1'}
        path = os.path.join(HERE, f'{std}.json')
        with open(path, 'w', encoding='utf-8') as f:
            head = {k: v for k, v in doc.items()}
            f.write('{\n')
            for k, v in head.items():
                f.write(f'  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False, separators=(",", ":"))},\n')
            f.write('  "indicators": [\n')
            f.write(',\n'.join('    ' + json.dumps(r, ensure_ascii=False, separators=(',', ':')) for r in inds))
            f.write('\n  ]\n}\n')
        print(f'{std}: {len(inds)} rows', {c: sum(1 for r in inds if r["class"] == c) for c in ['computed', 'manual', 'checklist']})

def write_t2s():
    import glob, opencc
    cc = opencc.OpenCC('t2s')
    seeds = os.path.join(os.path.dirname(SPEC), '../seeds')
    seed = open(glob.glob(os.path.join(seeds, '004_*.txt'))[0], encoding='utf-8').read()
    pairs = sorted((ch, cc.convert(ch)) for ch in set(seed) if '\u3400' <= ch <= '\u9fff')
    pairs = [(t, s) for t, s in pairs if s != t and len(s) == 1]
    out = os.path.join(HERE, '../../tests/data/t2s-004.txt')
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, 'w', encoding='utf-8') as f:
        f.write('# Traditional → Simplified, one pair a line: every character of seed 004 that OpenCC t2s changes.\n')
        f.write('# Written by core/data/standards/generate.py --t2s.\n')
        for t, s in pairs:
            f.write(f'{t}{s}\n')
    print(f't2s: {len(pairs)} pairs')

main()
if '--t2s' in sys.argv:
    write_t2s()
