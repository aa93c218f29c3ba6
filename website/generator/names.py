"""Realistic Chinese and English names for generated records, drawn without repeats from
combinations of words, the way Chinese civil-society organizations are named: a place, a
theme, a kind of work and a legal form (北京朝阳青少年发展中心, Beijing Chaoyang Youth
Development Center), or "中国" and no place for national ones."""

import random
from dataclasses import dataclass

from pypinyin import lazy_pinyin

# (Chinese, English, country); the first ones are the most frequent places.
CITIES = [
    ("北京", "Beijing", "CN"),
    ("上海", "Shanghai", "CN"),
    ("广州", "Guangzhou", "CN"),
    ("深圳", "Shenzhen", "CN"),
    ("成都", "Chengdu", "CN"),
    ("武汉", "Wuhan", "CN"),
    ("杭州", "Hangzhou", "CN"),
    ("南京", "Nanjing", "CN"),
    ("西安", "Xi'an", "CN"),
    ("重庆", "Chongqing", "CN"),
    ("昆明", "Kunming", "CN"),
    ("长沙", "Changsha", "CN"),
    ("郑州", "Zhengzhou", "CN"),
    ("兰州", "Lanzhou", "CN"),
    ("贵阳", "Guiyang", "CN"),
    ("南宁", "Nanning", "CN"),
    ("哈尔滨", "Harbin", "CN"),
    ("厦门", "Xiamen", "CN"),
    ("青岛", "Qingdao", "CN"),
    ("天津", "Tianjin", "CN"),
    ("济南", "Jinan", "CN"),
    ("合肥", "Hefei", "CN"),
    ("福州", "Fuzhou", "CN"),
    ("南昌", "Nanchang", "CN"),
    ("太原", "Taiyuan", "CN"),
    ("沈阳", "Shenyang", "CN"),
    ("西宁", "Xining", "CN"),
    ("拉萨", "Lhasa", "CN"),
    ("乌鲁木齐", "Urumqi", "CN"),
    ("呼和浩特", "Hohhot", "CN"),
    ("纽约", "New York", "US"),
    ("日内瓦", "Geneva", "CH"),
    ("伦敦", "London", "GB"),
    ("内罗毕", "Nairobi", "KE"),
    ("曼谷", "Bangkok", "TH"),
    ("东京", "Tokyo", "JP"),
    ("首尔", "Seoul", "KR"),
    ("加德满都", "Kathmandu", "NP"),
    ("金边", "Phnom Penh", "KH"),
    ("仰光", "Yangon", "MM"),
    ("乌兰巴托", "Ulaanbaatar", "MN"),
    ("波恩", "Bonn", "DE"),
]
DISTRICTS = [
    ("", ""),
    ("朝阳", "Chaoyang"),
    ("海淀", "Haidian"),
    ("城东", "Chengdong"),
    ("城西", "Chengxi"),
    ("城南", "Chengnan"),
    ("城北", "Chengbei"),
    ("高新", "Gaoxin"),
    ("滨江", "Binjiang"),
    ("新区", "Xinqu"),
    ("江北", "Jiangbei"),
]
# (Chinese, English, the field of work's slug)
THEMES = [
    ("青少年", "Youth", "youth"),
    ("环境", "Environment", "environment-biodiversity"),
    ("乡村", "Rural", "rural-development"),
    ("妇女", "Women's", "gender-equality"),
    ("儿童", "Children's", "childrens-rights"),
    ("社区", "Community", "community-governance"),
    ("公益", "Public Welfare", "civil-society-support"),
    ("慈善", "Charity", "grant-making"),
    ("志愿", "Volunteer", "volunteering"),
    ("文化", "Culture", "cultural-heritage"),
    ("教育", "Education", "research-education"),
    ("健康", "Health", "health"),
    ("残障", "Disability", "disability"),
    ("养老", "Elderly Care", "elderly-care"),
    ("法律", "Legal", "legal-aid"),
    ("生态", "Ecology", "environment-biodiversity"),
    ("动物保护", "Animal Protection", "animal-protection"),
    ("扶贫", "Poverty Relief", "poverty-relief"),
    ("救灾", "Disaster Relief", "emergency-relief"),
    ("科普", "Science Outreach", "science-outreach"),
    ("气候", "Climate", "climate-change"),
    ("农业", "Agriculture", "agriculture"),
    ("国际", "International", "international-cooperation"),
    ("绿色", "Green", "environment-biodiversity"),
]
WORKS = [
    ("发展", "Development"),
    ("服务", "Service"),
    ("援助", "Aid"),
    ("保护", "Protection"),
    ("研究", "Research"),
    ("促进", "Promotion"),
    ("交流", "Exchange"),
    ("合作", "Cooperation"),
    ("互助", "Mutual Aid"),
    ("创新", "Innovation"),
]
# (Chinese, English, organization kind)
LEGAL_FORMS = [
    ("中心", "Center", "ngo"),
    ("基金会", "Foundation", "foundation"),
    ("协会", "Association", "association"),
    ("促进会", "Advancement Society", "association"),
    ("研究院", "Institute", "research_centre"),
    ("联合会", "Federation", "association"),
    ("服务社", "Service Society", "ngo"),
    ("研究中心", "Research Center", "research_centre"),
    ("救援队", "Rescue Team", "rescue_team"),
    ("工作站", "Work Station", "ngo"),
]
# Fields of work: those of the fixtures (same slugs and names) and a few more.
FIELDS = [
    ("youth", "青年发展", "Youth"),
    ("environment-biodiversity", "环境与生物多样性", "Environment and biodiversity"),
    ("rural-development", "乡村发展", "Rural development"),
    ("gender-equality", "性别平等", "Gender equality"),
    ("childrens-rights", "儿童权利", "Children's rights"),
    ("community-governance", "社区治理", "Community governance"),
    ("civil-society-support", "公益行业支持", "Support for civil society"),
    ("grant-making", "慈善资助", "Grant-making"),
    ("volunteering", "志愿服务", "Volunteering"),
    ("cultural-heritage", "文化遗产保护", "Cultural heritage"),
    ("research-education", "研究与教育", "Research and education"),
    ("health", "健康", "Health"),
    ("disability", "残障", "Disability"),
    ("elderly-care", "养老服务", "Elderly care"),
    ("legal-aid", "法律援助", "Legal aid"),
    ("animal-protection", "动物保护", "Animal protection"),
    ("poverty-relief", "扶贫发展", "Poverty relief"),
    ("emergency-relief", "应急救援", "Emergency relief"),
    ("science-outreach", "科学普及", "Science outreach"),
    ("climate-change", "气候变化", "Climate change"),
    ("agriculture", "农业", "Agriculture"),
    ("international-cooperation", "国际交流与合作", "International cooperation"),
]
SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭萧田董潘袁蒋蔡"
    "余杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛"
)
GIVEN = list(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞宇辰晨欣怡佳琪"
    "浩然子涵梓轩思雨若曦嘉懿晓东海燕建国志文慧颖博宁雪峰俊凯婷倩丹"
)
FOREIGN_GIVEN = [
    "Maria",
    "John",
    "Anna",
    "David",
    "Sarah",
    "Ahmed",
    "Priya",
    "Kenji",
    "Amina",
    "Lucas",
    "Elena",
    "Omar",
    "Grace",
    "Tomas",
    "Nadia",
    "Samuel",
]
FOREIGN_FAMILY = [
    "Garcia",
    "Smith",
    "Kim",
    "Tanaka",
    "Okafor",
    "Singh",
    "Rossi",
    "Dubois",
    "Novak",
    "Hassan",
    "Silva",
    "Nguyen",
    "Schmidt",
    "Mensah",
    "Ivanova",
    "Lopez",
]
# (Chinese, English) job titles, most frequent first.
TITLES = [
    ("秘书长", "Secretary-General"),
    ("理事长", "Chairperson"),
    ("主任", "Director"),
    ("副主任", "Deputy Director"),
    ("项目官员", "Program Officer"),
    ("执行主任", "Executive Director"),
    ("研究员", "Researcher"),
    ("创始人", "Founder"),
    ("理事", "Board Member"),
    ("志愿者", "Volunteer"),
]
# (Chinese, English, network scope)
REGIONS = [
    ("亚太", "Asia-Pacific", "regional"),
    ("全球", "Global", "international"),
    ("中国", "China", "national"),
    ("东亚", "East Asia", "regional"),
    ("东南亚", "Southeast Asia", "regional"),
    ("非洲", "Africa", "regional"),
    ("澜湄", "Lancang-Mekong", "regional"),
    ("长三角", "Yangtze River Delta", "national"),
    ("粤港澳", "Greater Bay Area", "national"),
    ("西部", "Western China", "national"),
    ("南南", "South-South", "international"),
    ("国际", "International", "international"),
]
# (Chinese, English, network kind); consultative status is rare and drawn apart.
NETWORK_FORMS = [
    ("网络", "Network", "professional_network"),
    ("联盟", "Alliance", "alliance"),
    ("平台", "Platform", "platform"),
    ("伙伴网络", "Partner Network", "partner_network"),
    ("志愿者计划", "Volunteer Programme", "volunteer_programme"),
    ("咨商机制", "Consultative Mechanism", "consultative_status"),
]
EVENT_FORMS = [
    ("论坛", "Forum", "forum"),
    ("交流会", "Exchange Meeting", "meeting"),
    ("研讨会", "Seminar", "meeting"),
    ("年会", "Annual Conference", "forum"),
    ("峰会", "Summit", "forum"),
    ("工作坊", "Workshop", "meeting"),
    ("救援行动", "Relief Operation", "relief_operation"),
    ("训练营", "Training Camp", "other"),
]
PROGRAM_FORMS = [
    ("计划", "Program", "other"),
    ("志愿服务项目", "Volunteer Service Project", "volunteer_service"),
    ("能力建设项目", "Capacity Building Project", "capacity_building"),
    ("小额资助计划", "Small Grants Program", "grant_support"),
    ("培训班", "Training Course", "training"),
    ("倡导行动", "Campaign", "campaign"),
]


@dataclass(frozen=True)
class OrganizationName:
    name_zh: str
    name_en: str
    kind: str
    city: tuple  # an entry of CITIES, or None for a national organization
    theme: tuple
    work: tuple
    legal_form: tuple

    @property
    def abbreviation_zh(self) -> str:
        """A short form as people write it: place, theme, work and the legal form's end."""
        place = self.city[0][0] if self.city else "中"
        return place + self.theme[0][0] + self.work[0][0] + self.legal_form[0][-1]

    @property
    def abbreviation_en(self) -> str:
        words = self.name_en.replace("'s", "").replace("-", " ").split()
        return "".join(word[0] for word in words).upper()


def english(*words: str) -> str:
    return " ".join(word for word in words if word)


# Where an organization is: a Chinese city and perhaps a district, a foreign city, or None
# for a national organization ("中国..." with no city).
PLACES = [
    *((city, district) for city in CITIES if city[2] == "CN" for district in DISTRICTS),
    *((city, DISTRICTS[0]) for city in CITIES if city[2] != "CN"),
    None,
]
# More districts, for directories that need more names than the places above give (a
# million organizations): appended after them, and drawn from only when needed, so that a
# smaller directory keeps the names it always had for its seed.
MORE_DISTRICTS = [
    ("河东", "Hedong"),
    ("河西", "Hexi"),
    ("城中", "Chengzhong"),
    ("新城", "Xincheng"),
    ("开发区", "Kaifaqu"),
]
FIRST_PLACES = len(PLACES)
PLACES += [(city, district) for city in CITIES if city[2] == "CN" for district in MORE_DISTRICTS]


def organization_name_space(extended=True) -> int:
    places = len(PLACES) if extended else FIRST_PLACES
    return places * len(THEMES) * len(WORKS) * len(LEGAL_FORMS)


def organization_name(index: int) -> OrganizationName:
    """The index-th name of the space (one index, one name)."""
    index, legal_form = divmod(index, len(LEGAL_FORMS))
    index, work = divmod(index, len(WORKS))
    place, theme = divmod(index, len(THEMES))
    legal_form, work, theme = LEGAL_FORMS[legal_form], WORKS[work], THEMES[theme]
    if PLACES[place] is None:
        return OrganizationName(
            "中国" + theme[0] + work[0] + legal_form[0],
            english("China", theme[1], work[1], legal_form[1]),
            legal_form[2],
            None,
            theme,
            work,
            legal_form,
        )
    city, district = PLACES[place]
    return OrganizationName(
        city[0] + district[0] + theme[0] + work[0] + legal_form[0],
        english(city[1], district[1], theme[1], work[1], legal_form[1]),
        legal_form[2],
        city,
        theme,
        work,
        legal_form,
    )


def organization_names(rng: random.Random, count: int, taken_zh=(), taken_en=()):
    """`count` distinct names in random order, none of them in `taken_zh` or (ignoring case)
    `taken_en`; fewer when the space runs out."""
    taken_zh, taken_en = set(taken_zh), {name.lower() for name in taken_en}
    wanted = count + len(taken_zh) + len(taken_en)
    space = organization_name_space(extended=wanted > organization_name_space(extended=False))
    # A random sample of indexes, drawn without repeats; a few spare ones stand in for names
    # that are taken already.
    spare = min(space, wanted)
    found = 0
    for index in rng.sample(range(space), spare):
        name = organization_name(index)
        if name.name_zh in taken_zh or name.name_en.lower() in taken_en:
            continue
        yield name
        found += 1
        if found == count:
            return


def person_name(rng: random.Random) -> tuple[str, str]:
    """A Chinese name and its pinyin, family name first ("王思雨", "Wang Siyu"), or, for one
    person in twenty, a foreign name in English only."""
    if rng.random() < 0.05:
        return "", f"{rng.choice(FOREIGN_GIVEN)} {rng.choice(FOREIGN_FAMILY)}"
    surname = rng.choice(SURNAMES)
    given = "".join(rng.choice(GIVEN) for _ in range(1 if rng.random() < 0.3 else 2))
    syllables = lazy_pinyin(surname + given)
    return surname + given, f"{syllables[0].title()} {''.join(syllables[1:]).title()}"
