"""Word lists for the synthetic district: surnames, given names, places.

The district is a made-up county of Guangxi, so the surnames mix the national most
common ones with those frequent among the Zhuang (韦, 覃, 蒙, 莫, 农).  Weights are
rough shares, not census figures: enough that 黄 and 韦 are common and 农 is rare.
Given names follow the fashion of the parents' time: 建国 and 秀英 for the old,
子涵 and 梓轩 for children born after 2005.
"""

from __future__ import annotations

SURNAMES: tuple[tuple[str, int], ...] = (
    ("黄", 90),
    ("韦", 70),
    ("李", 60),
    ("陈", 50),
    ("覃", 45),
    ("梁", 40),
    ("刘", 35),
    ("王", 35),
    ("张", 30),
    ("莫", 28),
    ("蒙", 25),
    ("陆", 24),
    ("林", 22),
    ("杨", 22),
    ("罗", 20),
    ("卢", 18),
    ("周", 16),
    ("吴", 15),
    ("赵", 12),
    ("何", 12),
    ("潘", 12),
    ("谢", 10),
    ("邓", 10),
    ("廖", 10),
    ("农", 8),
    ("蓝", 8),
    ("苏", 8),
    ("唐", 8),
    ("曾", 7),
    ("冯", 6),
    ("徐", 6),
    ("孙", 5),
    ("马", 5),
    ("朱", 5),
    ("胡", 5),
    ("郭", 5),
    ("许", 4),
    ("宋", 4),
    ("钟", 4),
    ("邓", 4),
    ("谭", 4),
    ("石", 3),
    ("甘", 3),
    ("卜", 2),
    ("欧阳", 1),
)

# Characters of given names, by sex and by the decade fashion of the birth year.
# A given name is one character (about a fifth of people) or two.
GIVEN: dict[tuple[int, str], str] = {
    (1, "old"): "建国军华明强平志文海林东福德成永春庆忠贵金荣昌生光荣新胜发伟兴有家富",
    (1, "mid"): "伟强磊军勇杰涛斌超明辉鹏刚波俊峰宇浩龙飞亮健文军华林东凯坤晓志",
    (1, "new"): "子梓浩宇轩睿宸泽俊博一铭航昊杰思皓然天奕嘉瑞晨锦鑫豪阳诚朗",
    (2, "old"): "秀英兰芳桂凤玉珍梅华莲翠云琼美丽金菊香春红秀霞素月爱淑",
    (2, "mid"): "丽芳娟敏静燕艳霞玲婷红梅慧雪萍琳洁晶莉颖倩春晓佳丹",
    (2, "new"): "子梓涵萱欣怡诗雨佳琪思若可馨一语嘉晨悦彤妍瑶依曼欢宁朵",
}

# Two-character stems for township and village names; combined they give enough
# distinct names for a county of any size the demo builds.
PLACE_FIRST = "石三五那坛金双富苏延吴伶南长百新四大小上下东西北平安龙凤福和永兴良"
PLACE_SECOND = "埠塘仑洪洛陵定庶圩安塘俐阳塘济楼江山岭坡头坪岗湾桥田冲垌峒屯"
TOWNSHIP_SUFFIX = {"town": "镇", "township": "乡"}
# A village's name in the code tables, and as an address says it, by urban (True/False).
VILLAGE_SUFFIX = {False: ("村委会", "村"), True: ("社区居委会", "社区")}

PROVINCE = ("450000000000", "广西壮族自治区")
PREFECTURE = ("450100000000", "南宁市")
COUNTY = ("450102000000", "兴宁区")
# The demo city (demo.city): ten districts of the prefecture, the register demo's county first.
CITY_DISTRICTS = (
    COUNTY,
    ("450103000000", "青秀区"),
    ("450105000000", "江南区"),
    ("450107000000", "西乡塘区"),
    ("450108000000", "良庆区"),
    ("450109000000", "邕宁区"),
    ("450110000000", "武鸣区"),
    ("450123000000", "隆安县"),
    ("450124000000", "马山县"),
    ("450125000000", "上林县"),
)

# Where people of this county go to work (流出), and where people living here come from.
DESTINATIONS = (
    "广东省广州市",
    "广东省深圳市",
    "广东省东莞市",
    "广东省佛山市",
    "广东省中山市",
    "浙江省宁波市",
    "浙江省温州市",
    "福建省厦门市",
    "广西南宁市青秀区",
    "广西柳州市",
    "海南省海口市",
    "江苏省苏州市",
)
ORIGINS = (
    ("430524", "湖南省隆回县"),
    ("452122", "广西武鸣县"),
    ("450821", "广西平南县"),
    ("452123", "广西宾阳县"),
    ("522422", "贵州省大方县"),
    ("450127", "广西横县"),
    ("452226", "广西大新县"),
    ("532627", "云南省广南县"),
)
# Counties nearby, for wives who married into the county.
NEARBY = ("450103", "450105", "450107", "450108", "450109", "450123", "450124", "450126")
# Where daughters of the county married to (their hukou moved there: 迁出).
NEARBY_PLACES = ("南宁市青秀区", "南宁市江南区", "武鸣区", "宾阳县", "横县", "邕宁区", "隆安县")

PROVIDERS = ("乡镇卫生院", "县妇幼保健院", "区人民医院", "村计生服务室")
DEATH_CAUSES = ("病故", "病故", "病故", "衰老", "意外")
