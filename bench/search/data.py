"""Generated organizations and people with realistic Chinese and English names, written with
bulk_create (their search texts computed as save() would)."""

import itertools
import random

from django.db import transaction

from directory.models import Organization, OrganizationName, Person
from directory.search import grams_block, names_block

CITIES = [("北京", "Beijing"), ("上海", "Shanghai"), ("广州", "Guangzhou"), ("深圳", "Shenzhen"),
          ("成都", "Chengdu"), ("武汉", "Wuhan"), ("杭州", "Hangzhou"), ("南京", "Nanjing"),
          ("西安", "Xi'an"), ("重庆", "Chongqing"), ("昆明", "Kunming"), ("长沙", "Changsha"),
          ("郑州", "Zhengzhou"), ("兰州", "Lanzhou"), ("贵阳", "Guiyang"), ("南宁", "Nanning"),
          ("哈尔滨", "Harbin"), ("厦门", "Xiamen"), ("青岛", "Qingdao"), ("天津", "Tianjin")]
DISTRICTS = [("东城", "Dongcheng"), ("西城", "Xicheng"), ("朝阳", "Chaoyang"), ("海淀", "Haidian"),
             ("丰台", "Fengtai"), ("南山", "Nanshan"), ("福田", "Futian"), ("高新", "Gaoxin"),
             ("新区", "Xinqu"), ("城南", "Chengnan")]
THEMES = [("青少年", "Youth"), ("环境", "Environment"), ("乡村", "Rural"), ("妇女", "Women's"),
          ("儿童", "Children's"), ("社区", "Community"), ("公益", "Public Welfare"),
          ("慈善", "Charity"), ("志愿", "Volunteer"), ("文化", "Culture"), ("教育", "Education"),
          ("健康", "Health"), ("残障", "Disability"), ("养老", "Elderly Care"), ("法律", "Legal"),
          ("生态", "Ecology"), ("动物保护", "Animal Protection"), ("扶贫", "Poverty Relief"),
          ("救灾", "Disaster Relief"), ("科普", "Science Outreach")]
WORKS = [("发展", "Development"), ("服务", "Service"), ("援助", "Aid"), ("保护", "Protection"),
         ("研究", "Research"), ("促进", "Promotion"), ("交流", "Exchange"), ("合作", "Cooperation")]
KINDS = [("中心", "Center", "ngo"), ("基金会", "Foundation", "foundation"),
         ("协会", "Association", "association"), ("促进会", "Promotion Society", "association"),
         ("研究院", "Institute", "research_centre"), ("联合会", "Federation", "association"),
         ("服务社", "Service Society", "ngo")]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞宇辰晨欣怡佳琪")
BATCH = 2000


def organizations(count):
    combos = itertools.product(CITIES, DISTRICTS, THEMES, WORKS, KINDS)
    for number, (city, district, theme, work, kind) in enumerate(itertools.islice(combos, count)):
        name_zh = city[0] + district[0] + theme[0] + work[0] + kind[0]
        name_en = f"{city[1]} {district[1]} {theme[1]} {work[1]} {kind[1]}"
        aliases = []
        if number % 3 == 0:
            aliases = [city[0][0] + theme[0][0] + work[0][0] + kind[0][-1],
                       "".join(word[0] for word in name_en.replace("'", "").split()).upper()]
        yield number, name_zh, name_en, kind[2], aliases


def people(count, seed=7):
    generator = random.Random(seed)
    from pypinyin import lazy_pinyin

    for number in range(count):
        surname = SURNAMES[number % len(SURNAMES)]
        given = generator.choice(GIVEN) + generator.choice(GIVEN)
        syllables = lazy_pinyin(surname + given)
        yield number, surname + given, f"{syllables[0].title()} {''.join(syllables[1:]).title()}"


def generate(organization_count, person_count, out=print):
    with transaction.atomic():
        batch, names = [], []
        for number, name_zh, name_en, kind, aliases in organizations(organization_count):
            batch.append(Organization(
                slug=f"bench-organization-{number}", name_zh=name_zh, name_en=name_en, kind=kind,
                search_names=names_block([name_zh, name_en, *aliases], [name_zh, aliases[0]]
                                         if aliases else [name_zh]),
                search_grams=grams_block([name_zh, *aliases])))
            names.append(aliases)
            if len(batch) == BATCH:
                write_organizations(batch, names)
                batch, names = [], []
                if number % 20000 == BATCH - 1:
                    out(f"  {number + 1} organizations")
        write_organizations(batch, names)
        Person.objects.bulk_create(
            (Person(slug=f"bench-person-{number}", name_zh=name_zh, name_en=name_en,
                    search_names=names_block([name_zh, name_en], [name_zh]),
                    search_grams=grams_block([name_zh]))
             for number, name_zh, name_en in people(person_count)),
            batch_size=BATCH)


def write_organizations(batch, names):
    created = Organization.objects.bulk_create(batch)
    OrganizationName.objects.bulk_create(
        OrganizationName(organization=organization, name=alias,
                         language="zh" if position == 0 else "en", kind="abbreviation")
        for organization, aliases in zip(created, names, strict=True)
        for position, alias in enumerate(aliases))
