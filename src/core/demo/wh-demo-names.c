/* wh-demo-names.c — names of people, places, shops and roads for the demo street
 *
 * Every choice comes from the caller's GRand, so the same seed names the same people.
 */
#include "config.h"

#include <string.h>

#include "wh-demo-private.h"

/* Common surnames, the most frequent first, with rough weights so that 王, 李 and 张 are
 * as common in the roster as they are in Beijing. */
static const struct {
  const char *name;
  guint       weight;
} surnames[] = {
  { "王", 72 }, { "李", 71 }, { "张", 68 }, { "刘", 54 }, { "陈", 45 }, { "杨", 31 },
  { "赵", 20 }, { "黄", 18 }, { "周", 17 }, { "吴", 15 }, { "徐", 13 }, { "孙", 12 },
  { "胡", 10 }, { "朱", 10 }, { "高", 10 }, { "林", 9 }, { "何", 9 }, { "郭", 9 },
  { "马", 9 }, { "罗", 7 }, { "梁", 7 }, { "宋", 6 }, { "郑", 6 }, { "谢", 6 },
  { "韩", 5 }, { "唐", 5 }, { "冯", 5 }, { "于", 5 }, { "董", 5 }, { "萧", 4 },
  { "程", 4 }, { "曹", 4 }, { "袁", 4 }, { "邓", 4 }, { "许", 4 }, { "傅", 4 },
  { "沈", 3 }, { "曾", 3 }, { "彭", 3 }, { "吕", 3 }, { "苏", 3 }, { "卢", 3 },
  { "蒋", 3 }, { "蔡", 3 }, { "贾", 3 }, { "丁", 3 }, { "魏", 3 }, { "薛", 3 },
  { "叶", 3 }, { "阎", 3 }, { "余", 2 }, { "潘", 2 }, { "杜", 2 }, { "戴", 2 },
  { "夏", 2 }, { "钟", 2 }, { "汪", 2 }, { "田", 2 }, { "任", 2 }, { "姜", 2 },
  { "范", 2 }, { "方", 2 }, { "石", 2 }, { "姚", 2 }, { "谭", 2 }, { "廖", 2 },
  { "邹", 2 }, { "熊", 2 }, { "金", 2 }, { "陆", 2 }, { "郝", 2 }, { "孔", 2 },
  { "白", 2 }, { "崔", 2 }, { "康", 2 }, { "毛", 2 }, { "邱", 2 }, { "秦", 2 },
  { "江", 1 }, { "史", 1 }, { "顾", 1 }, { "侯", 1 }, { "邵", 1 }, { "孟", 1 },
  { "龙", 1 }, { "万", 1 }, { "段", 1 }, { "雷", 1 }, { "钱", 1 }, { "汤", 1 },
  { "尹", 1 }, { "黎", 1 }, { "易", 1 }, { "常", 1 }, { "武", 1 }, { "乔", 1 },
  { "贺", 1 }, { "赖", 1 }, { "龚", 1 }, { "文", 1 }, { "庞", 1 }, { "牛", 1 },
};

/* Characters of given names; one- and two-character names both occur. */
static const char *const given_chars[] = {
  "伟", "芳", "娜", "秀", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰",
  "娟", "涛", "明", "超", "霞", "平", "刚", "桂", "英", "华", "文", "辉", "建", "国",
  "志", "红", "玉", "兰", "晨", "宇", "浩", "然", "欣", "怡", "子", "轩", "博", "雪",
  "海", "鹏", "波", "斌", "宁", "慧", "婷", "晶", "琳", "凯", "帆", "亮", "健", "峰",
  "春", "秋", "冬", "梅", "松", "林", "森", "燕", "莉", "倩", "颖", "佳", "嘉", "琪",
  "思", "雨", "天", "东", "蓉", "萍", "新", "振", "永", "立", "德", "瑞", "晓", "岚",
  "利", "成", "树", "庆", "福", "宏", "茂", "旭", "阳", "鑫", "淑", "珍", "卫", "蕾",
};

static guint
surname_total (void)
{
  guint total = 0;

  for (guint i = 0; i < G_N_ELEMENTS (surnames); i++)
    total += surnames[i].weight;
  return total;
}

static const char *
pick_surname (GRand *rand)
{
  gint32 r = g_rand_int_range (rand, 0, surname_total ());

  for (guint i = 0; i < G_N_ELEMENTS (surnames); i++)
    {
      r -= surnames[i].weight;
      if (r < 0)
        return surnames[i].name;
    }
  return surnames[0].name;
}

const char *
demo_pick (GRand             *rand,
           const char *const *strings,
           guint              n_strings)
{
  guint n = 0;

  /* Tables may end early with NULLs (fixed-size arrays in the catalogue). */
  while (n < n_strings && strings[n] != NULL)
    n++;
  g_return_val_if_fail (n > 0, "");
  return strings[g_rand_int_range (rand, 0, n)];
}

char *
demo_person_name (GRand *rand)
{
  const char *surname = pick_surname (rand);
  const char *first = demo_pick (rand, given_chars, G_N_ELEMENTS (given_chars));

  const char *second;

  if (g_rand_int_range (rand, 0, 100) < 28)
    return g_strconcat (surname, first, NULL);
  second = demo_pick (rand, given_chars, G_N_ELEMENTS (given_chars));
  return g_strconcat (surname, first, second, NULL);
}

/* Residents on the hotline are recorded as 王先生 / 李女士, as 12345 work orders do. */
char *
demo_reporter_name (GRand *rand)
{
  const char *surname = pick_surname (rand);

  return g_strconcat (surname, g_rand_boolean (rand) ? "先生" : "女士", NULL);
}

/* A mobile number with the middle four digits masked, as public records show them:
 * the demo never holds a number someone might actually answer. */
char *
demo_mobile (GRand *rand)
{
  static const char *const prefixes[] = {
    "130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "155",
    "156", "158", "159", "166", "176", "177", "180", "182", "185", "186", "187", "188",
    "189", "198", "199",
  };
  const char *prefix = demo_pick (rand, prefixes, G_N_ELEMENTS (prefixes));

  return g_strdup_printf ("%s****%04d", prefix, g_rand_int_range (rand, 0, 10000));
}

char *
demo_landline (GRand      *rand,
               const char *prefix)
{
  return g_strdup_printf ("010-%s%04d", prefix, g_rand_int_range (rand, 0, 10000));
}

static const char *const shop_prefixes[] = {
  "兴隆", "福满", "鑫源", "华联", "聚福", "金鼎", "好邻居", "便民", "永辉", "顺心",
  "同福", "老街坊", "利民", "宏达", "美佳", "万家", "益民", "诚信", "旺福", "家和",
};
static const char *const shop_kinds[] = {
  "便利店", "水果店", "理发店", "五金店", "洗车行", "足疗店", "烟酒店", "服装店",
  "手机维修店", "超市", "药店", "干洗店", "花店", "文具店",
};
static const char *const eatery_prefixes[] = {
  "老北京", "川味", "湘味", "东北", "兰州", "沙县", "重庆", "陕西", "老王", "小李",
  "张记", "刘记", "胖哥", "德顺", "福运", "鸿宾", "聚德", "一品",
};
static const char *const eatery_kinds[] = {
  "炸酱面馆", "烧烤店", "麻辣烫", "拉面馆", "小吃店", "火锅店", "家常菜馆", "包子铺",
  "早点铺", "饺子馆", "卤煮店", "串串香", "黄焖鸡米饭", "快餐店",
};

/* Draws happen in separate statements: the order in which a call's arguments are
 * evaluated is unspecified, and the sequence of draws must not depend on the compiler. */
char *
demo_shop_name (GRand *rand)
{
  const char *prefix = demo_pick (rand, shop_prefixes, G_N_ELEMENTS (shop_prefixes));
  const char *kind = demo_pick (rand, shop_kinds, G_N_ELEMENTS (shop_kinds));

  return g_strconcat (prefix, kind, NULL);
}

char *
demo_eatery_name (GRand *rand)
{
  const char *prefix = demo_pick (rand, eatery_prefixes, G_N_ELEMENTS (eatery_prefixes));
  const char *kind = demo_pick (rand, eatery_kinds, G_N_ELEMENTS (eatery_kinds));

  return g_strconcat (prefix, kind, NULL);
}

/* Community names in the manner of Xicheng's 展览路 and 月坛 streets. */
static const char *const community_names[] = {
  "三里河社区", "百万庄社区", "车公庄社区", "阜外西社区", "月坛社区", "展览路社区",
  "甘家口社区", "增光社区", "北营房社区", "南营房社区", "德宝社区", "文兴街社区",
  "榆树馆社区", "木樨地社区", "真武庙社区", "新华里社区", "露园社区", "扣钟社区",
};

/* Shuffles the table with @rand and takes the first @n. */
static void
pick_distinct (GRand             *rand,
               const char *const *table,
               guint              n_table,
               guint              n,
               const char       **out)
{
  g_autofree const char **copy = g_new (const char *, n_table);

  g_return_if_fail (n <= n_table);
  memcpy (copy, table, n_table * sizeof *copy);
  for (guint i = 0; i < n; i++)
    {
      guint j = i + g_rand_int_range (rand, 0, n_table - i);
      const char *tmp = copy[i];

      copy[i] = copy[j];
      copy[j] = tmp;
      out[i] = copy[i];
    }
}

void
demo_pick_communities (GRand       *rand,
                       guint        n,
                       const char **names)
{
  pick_distinct (rand, community_names, G_N_ELEMENTS (community_names), n, names);
}

/* The outline of the street follows main roads; inside run streets, lanes and hutongs. */
static const char *const major_roads[] = {
  "阜成门外大街", "车公庄大街", "三里河路", "西直门外南路", "复兴门外大街",
  "月坛南街", "展览馆路", "百万庄大街", "南礼士路", "首体南路",
};
static const char *const minor_roads[] = {
  "甘家口东街", "增光路", "阜外北街", "展览路东巷", "三里河东路", "南营房胡同",
  "德宝巷", "北营房中街", "文兴东街", "榆树馆胡同", "扣钟胡同", "葱店胡同",
  "西城根胡同", "月坛北小街", "礼士路头条", "新华里西街", "车公庄北小街", "露园胡同",
  "木樨地北街", "真武庙路", "百万庄中街", "阜外东巷",
};

void
demo_pick_roads (GRand       *rand,
                 guint        n_major,
                 const char **major,
                 guint        n_minor,
                 const char **minor)
{
  pick_distinct (rand, major_roads, G_N_ELEMENTS (major_roads), n_major, major);
  pick_distinct (rand, minor_roads, G_N_ELEMENTS (minor_roads), n_minor, minor);
}

/* A residential compound named after its community: 百万庄北里, 三里河一区 … */
char *
demo_compound_name (GRand      *rand,
                    const char *community)
{
  static const char *const suffixes[] = {
    "北里", "南里", "东里", "西里", "中里", "一区", "二区", "三区", "小区", "家属院",
    "东院", "西院", "甲区", "乙区", "北区", "南区",
  };
  g_autofree char *root = NULL;

  root = g_strdup (community);
  if (g_str_has_suffix (root, "社区"))
    root[strlen (root) - strlen ("社区")] = '\0';
  return g_strconcat (root, demo_pick (rand, suffixes, G_N_ELEMENTS (suffixes)), NULL);
}

const char *
demo_landmark (GRand *rand)
{
  static const char *const landmarks[] = {
    "农贸市场", "社区卫生服务站", "小学", "幼儿园", "公交站", "地铁站出口", "便民菜站",
    "街心公园", "社区文化广场", "停车场", "中学", "综合超市", "银行网点", "邮局",
  };

  return demo_pick (rand, landmarks, G_N_ELEMENTS (landmarks));
}

char *
demo_expand (const char         *template,
             const DemoTextVars *vars)
{
  static const struct {
    const char *key;
    gsize       offset;
  } keys[] = {
    { "{D}", G_STRUCT_OFFSET (DemoTextVars, district) },
    { "{d}", G_STRUCT_OFFSET (DemoTextVars, district_short) },
    { "{S}", G_STRUCT_OFFSET (DemoTextVars, street) },
    { "{s}", G_STRUCT_OFFSET (DemoTextVars, street_short) },
    { "{place}", G_STRUCT_OFFSET (DemoTextVars, place) },
    { "{road}", G_STRUCT_OFFSET (DemoTextVars, road) },
    { "{no}", G_STRUCT_OFFSET (DemoTextVars, no) },
    { "{shop}", G_STRUCT_OFFSET (DemoTextVars, shop) },
    { "{eatery}", G_STRUCT_OFFSET (DemoTextVars, eatery) },
    { "{n}", G_STRUCT_OFFSET (DemoTextVars, n) },
    { "{unit}", G_STRUCT_OFFSET (DemoTextVars, unit) },
  };
  GString *out = g_string_sized_new (strlen (template) + 64);
  const char *p = template;

  while (*p != '\0')
    {
      gboolean matched = FALSE;

      if (*p == '{')
        for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
          if (g_str_has_prefix (p, keys[i].key))
            {
              const char *value = G_STRUCT_MEMBER (const char *, vars, keys[i].offset);

              g_string_append (out, value ? value : "");
              p += strlen (keys[i].key);
              matched = TRUE;
              break;
            }
      if (!matched)
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}
