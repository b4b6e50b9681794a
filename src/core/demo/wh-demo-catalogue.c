/* wh-demo-catalogue.c — the fixed tables of the demo street
 *
 * The demo street is data, not translation: its names and texts are the Chinese a real
 * Beijing street would have in its records, so none of this goes through gettext.
 */
#include "config.h"

#include "wh-demo-private.h"

/* The member units of the center, named as a Xicheng street names them ({d}: the district
 * without 区, as city bureaus name their branches: 北京市公安局西城分局). Stationed units
 * (常驻单位) sit in the center; listed departments (挂牌部门) are on call. */
const DemoUnitDef demo_unit_defs[DEMO_N_FIXED_UNITS] = {
  [DEMO_UNIT_CENTER] = {
    "street_office", "{S}综合执法指挥中心", "指挥中心", "{D}{S}办事处",
    "6832", 0, 0, "", "" },
  [DEMO_UNIT_CHENGGUAN] = {
    "stationed", "{D}城市管理综合行政执法监察局{S}执法队", "城管执法队",
    "{D}城市管理综合行政执法监察局", "6831", 2, 45, "执法队副队长", "执法队员" },
  [DEMO_UNIT_POLICE] = {
    "stationed", "北京市公安局{d}分局{s}街派出所", "派出所", "北京市公安局{d}分局",
    "6835", 2, 24, "派出所副所长", "社区民警" },
  [DEMO_UNIT_FOOD] = {
    "stationed", "{D}食品药品监督管理局{S}食药所", "食药所", "{D}食品药品监督管理局",
    "6837", 2, 9, "食药所副所长", "食药监管员" },
  [DEMO_UNIT_SAFETY] = {
    "stationed", "{D}安全生产监督管理局{S}安监科", "安监科", "{D}安全生产监督管理局",
    "6838", 2, 7, "安监科科长", "安全检查员" },
  [DEMO_UNIT_ENV] = {
    "stationed", "{D}环境保护局{S}环保所", "环保所", "{D}环境保护局",
    "6839", 2, 7, "环保所所长", "环境监察员" },
  [DEMO_UNIT_MARKET] = {
    "stationed", "{D}工商行政管理局{s}工商所", "工商所", "{D}工商行政管理局",
    "6833", 2, 9, "工商所副所长", "市场监管员" },
  [DEMO_UNIT_TRAFFIC] = {
    "stationed", "北京市公安局公安交通管理局{d}交通支队{s}大队", "交通队",
    "北京市公安局公安交通管理局{d}交通支队", "6836", 2, 11, "交通大队副大队长", "交通民警" },
  [DEMO_UNIT_FIRE] = {
    "stationed", "北京市消防救援总队{d}支队{s}消防救援站", "消防", "北京市消防救援总队{d}支队",
    "6834", 2, 9, "消防站副站长", "消防监督员" },
  [DEMO_UNIT_HOUSING] = {
    "listed", "{D}住房和城市建设委员会", "住建委", "{D}人民政府",
    "6615", 1, 4, "联络员", "房屋安全执法员" },
  [DEMO_UNIT_CULTURE] = {
    "listed", "{D}文化委员会", "文委", "{D}人民政府",
    "6616", 1, 3, "联络员", "文化执法员" },
  [DEMO_UNIT_JUSTICE] = {
    "listed", "{D}司法局{S}司法所", "司法所", "{D}司法局",
    "6617", 1, 3, "司法所所长", "司法助理员" },
  [DEMO_UNIT_PLANNING] = {
    "listed", "北京市规划委员会{d}分局", "规划", "北京市规划委员会",
    "6618", 1, 3, "联络员", "规划监察员" },
  [DEMO_UNIT_LAND] = {
    "listed", "北京市国土资源局{d}分局", "国土", "北京市国土资源局",
    "6619", 1, 3, "联络员", "国土监察员" },
  [DEMO_UNIT_QUALITY] = {
    "listed", "北京市质量技术监督局{d}分局", "质监", "北京市质量技术监督局",
    "6620", 1, 3, "联络员", "特种设备监察员" },
  [DEMO_UNIT_STATE_TAX] = {
    "listed", "{D}国家税务局{s}税务所", "国税", "北京市国家税务局",
    "6621", 1, 2, "税务所副所长", "税收管理员" },
  [DEMO_UNIT_LOCAL_TAX] = {
    "listed", "{D}地方税务局{s}税务所", "地税", "北京市地方税务局",
    "6622", 1, 2, "税务所副所长", "税收管理员" },
  [DEMO_UNIT_HEALTH] = {
    "listed", "{D}卫生和人口计划生育委员会卫生监督所", "卫生和人口计生",
    "{D}卫生和人口计划生育委员会", "6623", 1, 3, "联络员", "卫生监督员" },
  [DEMO_UNIT_DISTRICT] = {
    "district", "{D}城市服务管理指挥中心（12345）", "区城指中心", "{D}人民政府",
    "6600", 0, 0, "", "" },
};

#define NO_COOP { DEMO_UNIT_NONE, DEMO_UNIT_NONE, DEMO_UNIT_NONE }
#define COOP1(a) { a, DEMO_UNIT_NONE, DEMO_UNIT_NONE }
#define COOP2(a, b) { a, b, DEMO_UNIT_NONE }
#define COOP3(a, b, c) { a, b, c }

#define CLASS(code_, name_, component_, lead_, duty_, response_, handling_, wh_) \
  { .code = code_, .parent = NULL, .name = name_, .component = component_,       \
    .lead = lead_, .coop = NO_COOP, .response_minutes = response_,               \
    .handling_minutes = handling_, .working_hours = wh_, .grid_duty = duty_ }

/* A two-level catalogue in the manner of the national standard for digital urban
 * management (城市管理部件和事件分类): a class (2 digits) and its subcategories (4 digits).
 *
 * Time limits are minutes. With working_hours they count working time only (8 hours a
 * day: 480 minutes is one working day); without, calendar time, for matters that cannot
 * wait for Monday: emergencies, night-time noise, blocked fire lanes. */
const DemoCategoryDef demo_category_defs[] = {
  CLASS ("01", "市容环境", FALSE, DEMO_UNIT_CHENGGUAN, DEMO_UNIT_LANE, 30, 480, TRUE),
  { "0101", "01", "暴露垃圾", FALSE, DEMO_UNIT_CHENGGUAN, NO_COOP, 30, 240, TRUE, FALSE,
    9.0, 0.3, DEMO_SOURCES_PATROL, 3, 0, DEMO_UNIT_NONE,
    { "{road}{no}号附近暴露垃圾", "{place}门口垃圾未及时清运", "{road}路边生活垃圾散落" },
    { "{road}{no}号附近路边堆放生活垃圾约{n}袋，无人清运，散发异味，影响市容。",
      "{place}东侧垃圾桶满溢，周边散落塑料袋、纸箱等垃圾，已持续一天以上。",
      "{road}{no}号附近有人倾倒装修垃圾和生活垃圾混合物，堆积在树池旁。" },
    { "已通知环卫作业单位清运，现场已清理干净，并督促保洁员加强巡回保洁。",
      "已协调物业及环卫所清运垃圾{n}车，恢复整洁。" },
    { "现场复核仍有少量垃圾未清运。", "垃圾已清运但地面污渍未清洗。" } },
  { "0102", "01", "乱堆物堆料", FALSE, DEMO_UNIT_CHENGGUAN, NO_COOP, 30, 960, TRUE, FALSE,
    5.0, 0.0, DEMO_SOURCES_PATROL, 2, 0, DEMO_UNIT_NONE,
    { "{road}{no}号门前乱堆物料", "{place}楼下堆放杂物占用通道" },
    { "{road}{no}号门前人行道上堆放建材及杂物，占用步道约{n}平方米，影响行人通行。",
      "{place}单元门口及楼道内堆放废旧家具、纸箱等杂物，存在安全隐患，居民多次反映。" },
    { "已责令当事人清理堆物堆料，现场已恢复通行。",
      "已联合物业清理楼道堆物{n}处，并张贴告知书。" },
    { "复查时堆物已部分回潮。" } },

  CLASS ("02", "宣传广告", FALSE, DEMO_UNIT_CHENGGUAN, DEMO_UNIT_LANE, 60, 960, TRUE),
  { "0201", "02", "违规户外广告", FALSE, DEMO_UNIT_CHENGGUAN, COOP1 (DEMO_UNIT_MARKET), 60, 2400,
    TRUE, FALSE, 3.0, 0.0, DEMO_SOURCES_PATROL, 2, 0, DEMO_UNIT_NONE,
    { "{shop}擅自设置户外广告牌", "{road}{no}号墙面违规悬挂横幅" },
    { "{road}{no}号{shop}未经审批在门脸上方设置大型灯箱广告，存在安全隐患。",
      "{road}沿线有商户违规悬挂宣传横幅{n}条，影响街面秩序。" },
    { "已下达责令改正通知书，当事人已自行拆除违规广告牌。",
      "已拆除违规横幅{n}条，对商户进行了宣传教育。" },
    { "复查发现广告牌仅拆除面板，支架仍未拆除。" } },
  { "0202", "02", "非法小广告", FALSE, DEMO_UNIT_CHENGGUAN, NO_COOP, 30, 480, TRUE, FALSE,
    4.0, 0.0, DEMO_SOURCES_PATROL, 0, 0, DEMO_UNIT_NONE,
    { "{place}楼道内张贴非法小广告", "{road}{no}号附近电线杆小广告" },
    { "{place}多个单元楼道墙面被张贴、喷涂办证、开锁类小广告，影响环境。",
      "{road}{no}号附近电线杆、配电箱上粘贴大量小广告。" },
    { "已组织保洁人员清除小广告{n}处，对涉及电话号码提请停机处理。",
      "已清理完毕，并加强该区域巡查。" },
    { "复查发现楼道内仍有小广告未清除。" } },

  CLASS ("03", "施工管理", FALSE, DEMO_UNIT_CHENGGUAN, DEMO_UNIT_CHENGGUAN, 30, 960, TRUE),
  { "0301", "03", "施工扰民", FALSE, DEMO_UNIT_CHENGGUAN, COOP1 (DEMO_UNIT_HOUSING), 30, 240, FALSE,
    FALSE, 4.0, 0.6, DEMO_SOURCES_HOTLINE, 5, 0, DEMO_UNIT_NONE,
    { "{road}附近工地夜间施工扰民", "{place}装修噪声扰民" },
    { "{road}{no}号附近工地每天晚上十点以后仍在施工，机械噪声很大，影响休息。",
      "{place}有住户装修在午休时间和晚间施工，电钻声音很大，请求处理。" },
    { "执法队员到场核查，工地无夜间施工许可，已责令停止夜间施工并立案调查。",
      "已与装修业主沟通，要求严格遵守施工时间规定，当事人表示配合。" },
    { "回访市民反映夜间施工仍在继续。" } },
  { "0302", "03", "工地扬尘", FALSE, DEMO_UNIT_HOUSING, COOP2 (DEMO_UNIT_ENV, DEMO_UNIT_CHENGGUAN),
    60, 960, TRUE, FALSE, 2.0, 0.2, DEMO_SOURCES_PATROL, 5, 0, DEMO_UNIT_NONE,
    { "{road}工地裸土未覆盖扬尘", "{road}{no}号工地渣土车未密闭" },
    { "{road}{no}号施工工地裸露土方未苫盖，大风天气扬尘严重。",
      "{road}工地出入口渣土车未冲洗、未密闭，道路遗撒严重。" },
    { "已责令施工单位对裸土进行全覆盖，并完善出入口冲洗设施。",
      "已约谈施工方负责人，现场扬尘问题已整改。" },
    { "复查发现仍有约{n}平方米裸土未覆盖。" } },

  CLASS ("04", "突发事件", FALSE, DEMO_UNIT_HOUSING, DEMO_UNIT_GRID, 15, 360, FALSE),
  { "0401", "04", "路面塌陷", FALSE, DEMO_UNIT_HOUSING, COOP2 (DEMO_UNIT_TRAFFIC, DEMO_UNIT_POLICE),
    15, 360, FALSE, FALSE, 0.5, 0.8, DEMO_SOURCES_MIXED, 50, 30, DEMO_UNIT_NONE,
    { "{road}{no}号附近路面塌陷", "{road}路面出现坑洞" },
    { "{road}{no}号附近机动车道出现塌陷，直径约{n}米，存在安全隐患，已有车辆绕行。",
      "雨后{road}路面出现坑洞，疑似地下管线渗漏。" },
    { "已设置围挡和警示标志，协调产权单位完成回填修复，道路恢复通行。",
      "交通队已疏导交通，塌陷处已临时修补，产权单位择期永久修复。" },
    { "复查发现修补处再次下沉。" } },
  { "0402", "04", "自来水管破裂", FALSE, DEMO_UNIT_HOUSING, COOP1 (DEMO_UNIT_POLICE), 15, 480,
    FALSE, FALSE, 0.8, 0.0, DEMO_SOURCES_HOTLINE, 50, 15, DEMO_UNIT_NONE,
    { "{place}自来水管破裂跑水", "{road}{no}号地下水管爆裂" },
    { "{place}楼前自来水管破裂，大量跑水，楼内已停水。",
      "{road}{no}号附近路面冒水，疑似供水管线爆裂。" },
    { "已通知自来水公司抢修，管线已修复并恢复供水。", "抢修完毕，现场积水已清理。" },
    { "复查发现管线接口仍有渗水。" } },

  CLASS ("05", "街面秩序", FALSE, DEMO_UNIT_CHENGGUAN, DEMO_UNIT_CHENGGUAN, 30, 480, TRUE),
  { "0501", "05", "占道经营", FALSE, DEMO_UNIT_CHENGGUAN, COOP2 (DEMO_UNIT_MARKET, DEMO_UNIT_POLICE),
    30, 480, TRUE, FALSE, 10.0, 0.5, DEMO_SOURCES_PATROL, 3, 0, DEMO_UNIT_NONE,
    { "{road}{no}号附近占道经营", "{place}门口早市摊贩占道", "{shop}店外占道经营" },
    { "{road}{no}号附近有{n}个流动摊位占用人行道售卖水果蔬菜，影响行人通行。",
      "{place}门口每天早上有摊贩占道经营，留下大量垃圾。",
      "{shop}在店外人行道摆放货架和桌椅经营，占道约{n}平方米。" },
    { "执法队员到场劝离占道摊贩，暂扣经营工具，并安排人员定点值守。",
      "已责令商户将货物搬回店内，并签订门前三包责任书。" },
    { "复查时摊贩又回到原处经营。", "商户仍在店外摆放货架。" } },
  { "0502", "05", "无照经营游商", FALSE, DEMO_UNIT_CHENGGUAN, COOP2 (DEMO_UNIT_MARKET, DEMO_UNIT_POLICE),
    30, 480, TRUE, FALSE, 5.0, 0.4, DEMO_SOURCES_PATROL, 2, 0, DEMO_UNIT_NONE,
    { "{road}{no}号附近无照游商", "{place}周边三轮车游商兜售" },
    { "{road}{no}号附近有游商推三轮车兜售水果，无营业执照，驱赶后反复出现。",
      "{place}周边晚间有{n}名游商摆摊售卖小商品。" },
    { "已依法查处无照游商，暂扣三轮车{n}辆，加强该点位巡控。",
      "已劝离游商，纳入夜间巡查重点点位。" },
    { "回访发现晚间游商仍有出现。" } },
  { "0503", "05", "乱停车", FALSE, DEMO_UNIT_TRAFFIC, COOP1 (DEMO_UNIT_CHENGGUAN), 30, 240, FALSE,
    FALSE, 6.0, 0.0, DEMO_SOURCES_HOTLINE, 5, 0, DEMO_UNIT_NONE,
    { "{road}{no}号门口车辆乱停堵塞通道", "{place}门口机动车违停" },
    { "{road}{no}号门口有车辆长期违停，堵住出入通道，车主电话无法联系。",
      "{place}门口路段机动车停放混乱，早晚高峰严重拥堵。" },
    { "交通队已到场对违停车辆贴单处罚并挪车，通道恢复畅通。",
      "已在该路段增设禁停标志，并加强早晚高峰巡查。" },
    { "回访市民反映违停现象依旧。" } },

  CLASS ("06", "市政公用设施", TRUE, DEMO_UNIT_HOUSING, DEMO_UNIT_GRID, 60, 1440, TRUE),
  { "0601", "06", "井盖缺失", TRUE, DEMO_UNIT_HOUSING, COOP1 (DEMO_UNIT_TRAFFIC), 15, 240, FALSE,
    FALSE, 1.5, 0.0, DEMO_SOURCES_PATROL, 60, 20, DEMO_UNIT_NONE,
    { "{road}{no}号附近井盖缺失", "{place}内雨水井盖破损" },
    { "{road}{no}号附近人行道上一处污水井盖缺失，夜间极易发生行人坠落。",
      "{place}内一处雨水井盖破损下陷，已有居民险些绊倒。" },
    { "已设置警示围挡，产权单位已更换新井盖。", "已通知排水集团更换井盖，现场隐患消除。" },
    { "复查发现新井盖与路面不平。" } },
  { "0602", "06", "道路破损", TRUE, DEMO_UNIT_HOUSING, COOP1 (DEMO_UNIT_TRAFFIC), 60, 2400, TRUE,
    FALSE, 2.0, 0.0, DEMO_SOURCES_MIXED, 3, 0, DEMO_UNIT_NONE,
    { "{road}人行步道砖破损", "{road}{no}号附近路面坑洼" },
    { "{road}{no}号至{place}段人行步道方砖松动破损约{n}平方米。",
      "{road}机动车道有多处坑洼，雨天积水。" },
    { "养护单位已完成步道砖更换修补。", "已完成路面修补，恢复平整。" },
    { "复查发现修补处仍不平整。" } },
  { "0603", "06", "路灯不亮", TRUE, DEMO_UNIT_HOUSING, NO_COOP, 60, 1440, TRUE, FALSE,
    2.0, -0.3, DEMO_SOURCES_MIXED, 0, 0, DEMO_UNIT_NONE,
    { "{road}路灯不亮", "{place}内路灯损坏" },
    { "{road}{no}号附近连续{n}盏路灯夜间不亮，道路漆黑。",
      "{place}内庭院灯损坏，居民夜间出行不便。" },
    { "已报修路灯管理所，灯具已更换，恢复照明。", "经查为线路故障，已修复。" },
    { "复查发现仍有一盏路灯不亮。" } },

  CLASS ("07", "交通设施", TRUE, DEMO_UNIT_TRAFFIC, DEMO_UNIT_TRAFFIC, 30, 480, TRUE),
  { "0701", "07", "交通信号灯故障", TRUE, DEMO_UNIT_TRAFFIC, NO_COOP, 30, 480, FALSE, FALSE,
    1.0, 0.0, DEMO_SOURCES_PATROL, 40, 0, DEMO_UNIT_NONE,
    { "{road}路口信号灯故障", "{road}{no}号路口信号灯不亮" },
    { "{road}{no}号路口交通信号灯一直闪黄灯，车辆通行混乱。",
      "{road}路口人行横道信号灯不亮，行人过街困难。" },
    { "交通队已到场指挥疏导，信号灯已修复。", "信号灯控制器故障已修复，恢复正常。" },
    { "复查发现信号灯仍间歇性故障。" } },

  CLASS ("08", "园林绿化", TRUE, DEMO_UNIT_CHENGGUAN, DEMO_UNIT_GRID, 60, 960, TRUE),
  { "0801", "08", "行道树倒伏", TRUE, DEMO_UNIT_HOUSING, COOP1 (DEMO_UNIT_TRAFFIC), 30, 480, FALSE,
    FALSE, 1.0, 1.5, DEMO_SOURCES_MIXED, 40, 10, DEMO_UNIT_NONE,
    { "{road}{no}号附近行道树倒伏", "{place}门前树枝折断" },
    { "大风过后{road}{no}号附近一棵行道树倒伏，压住人行道。",
      "{place}门前大树枝干折断悬挂，随时可能掉落。" },
    { "已协调园林部门清理倒伏树木，道路恢复通行。", "已修剪断枝，消除安全隐患。" },
    { "复查发现树干残枝未清运。" } },
  { "0802", "08", "绿地脏乱", TRUE, DEMO_UNIT_CHENGGUAN, NO_COOP, 60, 960, TRUE, FALSE,
    2.0, 0.2, DEMO_SOURCES_PATROL, 0, 0, DEMO_UNIT_NONE,
    { "{place}绿地内私自种菜", "{road}绿化带内垃圾杂物" },
    { "{place}楼前公共绿地被居民圈占种菜，破坏绿化。",
      "{road}{no}号附近绿化带内堆放杂物、垃圾较多。" },
    { "已劝导居民清除菜地，恢复绿化。", "已清理绿化带内杂物。" },
    { "复查发现菜地围栏仍未拆除。" } },

  CLASS ("09", "食品药品安全", FALSE, DEMO_UNIT_FOOD, DEMO_UNIT_FOOD, 60, 2400, TRUE),
  { "0901", "09", "无证餐饮", FALSE, DEMO_UNIT_FOOD, COOP2 (DEMO_UNIT_MARKET, DEMO_UNIT_CHENGGUAN),
    60, 4800, TRUE, TRUE, 2.0, 0.3, DEMO_SOURCES_MIXED, 5, 0, DEMO_UNIT_NONE,
    { "{eatery}无证经营", "{road}{no}号无证餐饮" },
    { "{road}{no}号{eatery}未取得食品经营许可证从事餐饮服务，后厨卫生条件差。",
      "{place}底商一家{eatery}无证经营，且油烟直排。" },
    { "经法制审核，依法作出责令停止经营的决定，已对该店实施关停并张贴封条。",
      "当事人已停止经营，后续将跟踪检查防止反弹。" },
    { "复查发现该店晚间仍在偷偷经营。" } },
  { "0902", "09", "食品过期变质", FALSE, DEMO_UNIT_FOOD, NO_COOP, 60, 1440, TRUE, FALSE,
    1.0, 0.3, DEMO_SOURCES_HOTLINE, 5, 0, DEMO_UNIT_NONE,
    { "{shop}销售过期食品", "{road}{no}号超市食品变质" },
    { "{road}{no}号{shop}出售的酸奶已过保质期{n}天仍在销售。",
      "{shop}销售的散装熟食有异味，疑似变质。" },
    { "已对该店进行检查，下架过期食品{n}件，依法立案处理。", "已责令商户整改并约谈负责人。" },
    { "复查发现货架上仍有临期食品未标注。" } },
  { "0903", "09", "非法行医", FALSE, DEMO_UNIT_HEALTH, COOP2 (DEMO_UNIT_FOOD, DEMO_UNIT_POLICE),
    60, 4800, TRUE, FALSE, 0.4, 0.0, DEMO_SOURCES_HOTLINE, 10, 0, DEMO_UNIT_NONE,
    { "{place}附近无证诊所", "{road}{no}号非法行医" },
    { "{road}{no}号民房内有人无证行医，给患者输液。",
      "{place}附近一家推拿店从事针灸和开药，无执业资质。" },
    { "卫生监督员已现场查处，没收药品器械，依法立案。", "已取缔非法行医点。" },
    { "回访发现该处仍有人员出入就诊。" } },

  CLASS ("10", "安全生产", FALSE, DEMO_UNIT_SAFETY, DEMO_UNIT_SAFETY, 30, 960, TRUE),
  { "1001", "10", "违规使用液化气", FALSE, DEMO_UNIT_SAFETY, COOP1 (DEMO_UNIT_FIRE), 30, 960, TRUE,
    FALSE, 1.5, 0.0, DEMO_SOURCES_PATROL, 20, 5, DEMO_UNIT_NONE,
    { "{eatery}违规使用液化气", "{road}{no}号餐馆液化气瓶存放隐患" },
    { "{eatery}在地下室违规使用液化石油气，未安装燃气报警器。",
      "{road}{no}号{eatery}后厨存放液化气瓶{n}个，与灶具距离过近。" },
    { "已责令停止使用液化气，收缴气瓶{n}个，督促改用电炊具。",
      "商户已完成整改，加装燃气报警装置。" },
    { "复查发现后厨仍存有气瓶。" } },
  { "1002", "10", "电梯安全隐患", FALSE, DEMO_UNIT_QUALITY, COOP1 (DEMO_UNIT_SAFETY), 30, 960, TRUE,
    FALSE, 1.0, 0.0, DEMO_SOURCES_HOTLINE, 20, 5, DEMO_UNIT_NONE,
    { "{place}电梯频繁故障", "{place}电梯困人" },
    { "{place}{n}号楼电梯近期多次停运，存在安全隐患。",
      "{place}电梯运行中突然停止，有人被困。" },
    { "质监部门已约谈维保单位，电梯已完成检修并通过检验。", "维保单位已到场救援并修复电梯。" },
    { "回访居民反映电梯仍有异响。" } },

  CLASS ("11", "环境保护", FALSE, DEMO_UNIT_ENV, DEMO_UNIT_ENV, 60, 2400, TRUE),
  { "1101", "11", "油烟扰民", FALSE, DEMO_UNIT_ENV, COOP2 (DEMO_UNIT_CHENGGUAN, DEMO_UNIT_FOOD),
    60, 2400, TRUE, FALSE, 4.0, 0.3, DEMO_SOURCES_HOTLINE, 2, 0, DEMO_UNIT_NONE,
    { "{eatery}油烟扰民", "{road}{no}号餐馆油烟直排" },
    { "{road}{no}号{eatery}油烟未经净化直排，楼上住户无法开窗。",
      "{place}底商{eatery}排烟管道直对居民窗户，味道很大。" },
    { "已责令商户安装油烟净化设备，并定期清洗，经复测达标。",
      "商户已更换排烟管道走向，油烟问题解决。" },
    { "回访居民反映油烟仍然很大。" } },
  { "1102", "11", "噪声扰民", FALSE, DEMO_UNIT_ENV, COOP2 (DEMO_UNIT_POLICE, DEMO_UNIT_CHENGGUAN),
    30, 480, FALSE, FALSE, 5.0, 0.8, DEMO_SOURCES_HOTLINE, 3, 0, DEMO_UNIT_NONE,
    { "{shop}音响噪声扰民", "{place}广场舞噪声扰民", "{road}{no}号空调外机噪声" },
    { "{shop}门口用大音箱播放促销广告，声音很大。",
      "{place}每晚广场舞音响声音过大，持续到晚上九点半以后。",
      "{road}{no}号商户空调外机夜间噪声扰民。" },
    { "已劝导商户关闭外放音响，并告知相关规定。",
      "已与广场舞队伍负责人沟通，调低音量并调整活动时间。" },
    { "回访市民反映噪声依旧。" } },

  CLASS ("12", "消防安全", FALSE, DEMO_UNIT_FIRE, DEMO_UNIT_FIRE, 30, 480, TRUE),
  { "1201", "12", "消防通道占用", FALSE, DEMO_UNIT_FIRE, COOP2 (DEMO_UNIT_TRAFFIC, DEMO_UNIT_POLICE),
    30, 240, FALSE, FALSE, 3.0, 0.0, DEMO_SOURCES_MIXED, 20, 5, DEMO_UNIT_NONE,
    { "{place}消防通道被占用", "{road}{no}号院内车辆堵塞消防通道" },
    { "{place}内消防通道被私家车长期占用，消防车无法通行。",
      "{road}{no}号院内堆放杂物及停放车辆堵塞消防通道。" },
    { "已联系车主挪车并清理杂物，在通道处施划禁停标线。",
      "已督促物业落实消防通道管理，设置隔离桩。" },
    { "复查时通道内又停放了车辆。" } },
  { "1202", "12", "电动车违规充电", FALSE, DEMO_UNIT_FIRE, COOP1 (DEMO_UNIT_POLICE), 30, 960, TRUE,
    FALSE, 3.0, 0.3, DEMO_SOURCES_PATROL, 10, 0, DEMO_UNIT_NONE,
    { "{place}楼道内电动车充电", "{place}飞线充电" },
    { "{place}{n}号楼有居民将电动自行车推入楼道充电，存在火灾隐患。",
      "{place}有居民从窗户私拉电线给电动车充电。" },
    { "已清理楼道电动车，拆除飞线{n}处，并进行消防安全宣传。", "已协调物业加装集中充电桩。" },
    { "复查时楼道内仍有电动车充电。" } },
  { "1203", "12", "群租房", FALSE, DEMO_UNIT_HOUSING,
    COOP3 (DEMO_UNIT_POLICE, DEMO_UNIT_FIRE, DEMO_UNIT_JUSTICE), 60, 7200, TRUE, TRUE,
    1.5, 0.0, DEMO_SOURCES_HOTLINE, 5, 0, DEMO_UNIT_NONE,
    { "{place}群租房", "{road}{no}号地下室群租" },
    { "{place}{n}号楼一套住房被隔断成多个房间出租，居住人员较多，进出复杂。",
      "{road}{no}号地下室存在群租现象，消防安全隐患大。" },
    { "经法制审核，依法作出责令拆除隔断的决定，已拆除隔断并清退租住人员。",
      "联合公安、消防完成整治，房屋恢复原状。" },
    { "复查发现隔断拆除后又有人入住。" } },

  CLASS ("13", "违法建设", FALSE, DEMO_UNIT_CHENGGUAN, DEMO_UNIT_CHENGGUAN, 60, 4800, TRUE),
  { "1301", "13", "违法建设", FALSE, DEMO_UNIT_CHENGGUAN,
    COOP3 (DEMO_UNIT_PLANNING, DEMO_UNIT_LAND, DEMO_UNIT_HOUSING), 60, 9600, TRUE, TRUE,
    2.0, 0.3, DEMO_SOURCES_MIXED, 5, 0, DEMO_UNIT_NONE,
    { "{place}楼顶违法建设", "{road}{no}号私搭乱建" },
    { "{place}{n}号楼顶层住户在楼顶私自搭建彩钢房，面积约三十平方米。",
      "{road}{no}号商户在门前私搭简易棚作为经营用房。" },
    { "经法制审核，依法作出限期拆除决定，违法建设已于期限内拆除完毕。",
      "当事人自行拆除违法建设，现场已恢复原状。" },
    { "复查发现拆除不彻底，地基及部分框架仍在。" } },
  { "1302", "13", "开墙打洞", FALSE, DEMO_UNIT_CHENGGUAN, COOP2 (DEMO_UNIT_HOUSING, DEMO_UNIT_MARKET),
    60, 4800, TRUE, FALSE, 1.0, 0.0, DEMO_SOURCES_PATROL, 3, 0, DEMO_UNIT_NONE,
    { "{road}{no}号开墙打洞", "{place}底商擅自破墙开门" },
    { "{road}{no}号住宅楼一层住户擅自拆改外墙开设门脸用于经营。",
      "{place}底商擅自在承重墙上开门，存在结构安全隐患。" },
    { "已责令恢复原状，封堵开口。", "已完成封堵并注销违规经营场所登记。" },
    { "复查发现封堵墙体未按原貌恢复。" } },

  CLASS ("14", "市场监管", FALSE, DEMO_UNIT_MARKET, DEMO_UNIT_MARKET, 60, 2400, TRUE),
  { "1401", "14", "无照经营", FALSE, DEMO_UNIT_MARKET, COOP1 (DEMO_UNIT_FOOD), 60, 2400, TRUE, FALSE,
    2.0, 0.0, DEMO_SOURCES_MIXED, 2, 0, DEMO_UNIT_NONE,
    { "{shop}无照经营", "{road}{no}号门店无照经营" },
    { "{road}{no}号{shop}未办理营业执照即开展经营。",
      "{place}底商新开一家{shop}，未办理营业执照。" },
    { "已责令商户停止无照经营行为，督促办理营业执照。", "商户已办理营业执照。" },
    { "复查发现商户仍未办理执照继续经营。" } },
  { "1402", "14", "文化市场违规", FALSE, DEMO_UNIT_CULTURE, COOP1 (DEMO_UNIT_POLICE), 60, 2400, TRUE,
    FALSE, 0.5, 0.0, DEMO_SOURCES_HOTLINE, 5, 0, DEMO_UNIT_NONE,
    { "{road}{no}号黑网吧", "{place}附近网吧接纳未成年人" },
    { "{road}{no}号民房内开设黑网吧，有{n}台电脑。",
      "{place}附近网吧接纳未成年人上网。" },
    { "文化执法人员已现场查处，暂扣电脑{n}台，依法立案。", "已对该网吧下达整改通知。" },
    { "回访发现该处仍有未成年人出入。" } },
  { "1403", "14", "拒开发票", FALSE, DEMO_UNIT_STATE_TAX, COOP1 (DEMO_UNIT_LOCAL_TAX), 60, 4800,
    TRUE, FALSE, 0.5, 0.0, DEMO_SOURCES_HOTLINE, 0, 0, DEMO_UNIT_NONE,
    { "{eatery}拒开发票", "{shop}不开发票" },
    { "{road}{no}号{eatery}顾客消费{n}百元，商家以各种理由拒开发票。",
      "{shop}要求顾客加收税点才开发票。" },
    { "税务所已约谈商户，商户已补开发票并承诺规范经营。", "已责令改正并依法处罚。" },
    { "回访市民反映仍未收到发票。" } },
};

const guint demo_n_category_defs = G_N_ELEMENTS (demo_category_defs);

/* China's public holidays (放假) and the make-up working days (调休上班) moved onto
 * weekends around them, for 2025 (国办发明电〔2024〕12号) and 2026 (国务院办公厅
 * 2025年11月4日通知). Outside these two years the generator assumes the plain
 * Monday–Friday week; extend this table when the State Council publishes the next year. */
const DemoHoliday demo_holidays[] = {
  { "2025-01-01", FALSE, "元旦" },
  { "2025-01-26", TRUE, "春节调休上班" },
  { "2025-01-28", FALSE, "春节" }, { "2025-01-29", FALSE, "春节" },
  { "2025-01-30", FALSE, "春节" }, { "2025-01-31", FALSE, "春节" },
  { "2025-02-01", FALSE, "春节" }, { "2025-02-02", FALSE, "春节" },
  { "2025-02-03", FALSE, "春节" }, { "2025-02-04", FALSE, "春节" },
  { "2025-02-08", TRUE, "春节调休上班" },
  { "2025-04-04", FALSE, "清明节" }, { "2025-04-05", FALSE, "清明节" },
  { "2025-04-06", FALSE, "清明节" },
  { "2025-04-27", TRUE, "劳动节调休上班" },
  { "2025-05-01", FALSE, "劳动节" }, { "2025-05-02", FALSE, "劳动节" },
  { "2025-05-03", FALSE, "劳动节" }, { "2025-05-04", FALSE, "劳动节" },
  { "2025-05-05", FALSE, "劳动节" },
  { "2025-05-31", FALSE, "端午节" }, { "2025-06-01", FALSE, "端午节" },
  { "2025-06-02", FALSE, "端午节" },
  { "2025-09-28", TRUE, "国庆节调休上班" },
  { "2025-10-01", FALSE, "国庆节、中秋节" }, { "2025-10-02", FALSE, "国庆节、中秋节" },
  { "2025-10-03", FALSE, "国庆节、中秋节" }, { "2025-10-04", FALSE, "国庆节、中秋节" },
  { "2025-10-05", FALSE, "国庆节、中秋节" }, { "2025-10-06", FALSE, "国庆节、中秋节" },
  { "2025-10-07", FALSE, "国庆节、中秋节" }, { "2025-10-08", FALSE, "国庆节、中秋节" },
  { "2025-10-11", TRUE, "国庆节调休上班" },

  { "2026-01-01", FALSE, "元旦" }, { "2026-01-02", FALSE, "元旦" },
  { "2026-01-03", FALSE, "元旦" },
  { "2026-01-04", TRUE, "元旦调休上班" },
  { "2026-02-14", TRUE, "春节调休上班" },
  { "2026-02-15", FALSE, "春节" }, { "2026-02-16", FALSE, "春节" },
  { "2026-02-17", FALSE, "春节" }, { "2026-02-18", FALSE, "春节" },
  { "2026-02-19", FALSE, "春节" }, { "2026-02-20", FALSE, "春节" },
  { "2026-02-21", FALSE, "春节" }, { "2026-02-22", FALSE, "春节" },
  { "2026-02-23", FALSE, "春节" },
  { "2026-02-28", TRUE, "春节调休上班" },
  { "2026-04-04", FALSE, "清明节" }, { "2026-04-05", FALSE, "清明节" },
  { "2026-04-06", FALSE, "清明节" },
  { "2026-05-01", FALSE, "劳动节" }, { "2026-05-02", FALSE, "劳动节" },
  { "2026-05-03", FALSE, "劳动节" }, { "2026-05-04", FALSE, "劳动节" },
  { "2026-05-05", FALSE, "劳动节" },
  { "2026-05-09", TRUE, "劳动节调休上班" },
  { "2026-06-19", FALSE, "端午节" }, { "2026-06-20", FALSE, "端午节" },
  { "2026-06-21", FALSE, "端午节" },
  { "2026-09-20", TRUE, "国庆节调休上班" },
  { "2026-09-25", FALSE, "中秋节" }, { "2026-09-26", FALSE, "中秋节" },
  { "2026-09-27", FALSE, "中秋节" },
  { "2026-10-01", FALSE, "国庆节" }, { "2026-10-02", FALSE, "国庆节" },
  { "2026-10-03", FALSE, "国庆节" }, { "2026-10-04", FALSE, "国庆节" },
  { "2026-10-05", FALSE, "国庆节" }, { "2026-10-06", FALSE, "国庆节" },
  { "2026-10-07", FALSE, "国庆节" },
  { "2026-10-10", TRUE, "国庆节调休上班" },
};

const guint demo_n_holidays = G_N_ELEMENTS (demo_holidays);

const char *const demo_not_accept_reasons[] = {
  "经核实，该问题属于小区物业管理范畴，已告知来电人联系物业公司解决。",
  "经现场核实，反映的问题不存在。",
  "该事项与编号相近工单重复，已合并办理。",
  "反映事项属于民事纠纷，已告知当事人通过司法途径解决。",
  "经核实，问题位置不在本街道辖区，已退回区级平台转派。",
  "来电人反映内容不清，多次回拨无法联系，暂不予立案。",
};
const guint demo_n_not_accept_reasons = G_N_ELEMENTS (demo_not_accept_reasons);

/* {unit}: the unit that should have it instead. */
const char *const demo_return_reasons[] = {
  "经核实该事项不属于本单位职责范围，建议派{unit}处理。",
  "该问题涉及产权单位管理，不属于本单位执法权限，建议由{unit}牵头。",
  "现场核查后认为应由{unit}主责办理，申请退单。",
};
const guint demo_n_return_reasons = G_N_ELEMENTS (demo_return_reasons);

const char *const demo_escalate_reasons[] = {
  "该问题涉及多个街道和区级部门，街道层面难以协调解决，提请区级吹哨。",
  "产权单位为市属企业，街道多次协调未果，申请区级部门报到。",
  "问题涉及规划审批历史遗留情况，需区级部门会商，提请上报。",
  "需区级专业部门现场检测鉴定，街道不具备处置条件，提请区级吹哨。",
};
const guint demo_n_escalate_reasons = G_N_ELEMENTS (demo_escalate_reasons);

const char *const demo_progress_notes[] = {
  "已联系当事人，约定{n}日内完成整改。",
  "执法人员已到场勘查，正在调取相关证据材料。",
  "已下达责令改正通知书，等待当事人整改。",
  "已与产权单位对接，对方已安排维修人员。",
  "当事人暂时无法联系，已张贴告知书并安排复查。",
  "已约谈商户负责人，对方表示近期整改。",
  "正在协调物业公司配合处置。",
};
const guint demo_n_progress_notes = G_N_ELEMENTS (demo_progress_notes);

const char *const demo_verify_notes[] = {
  "现场核查已整改到位。",
  "网格员复核，问题已解决。",
  "经视频核查，现场已恢复正常。",
  "回访反映人，对处置结果认可。",
};
const guint demo_n_verify_notes = G_N_ELEMENTS (demo_verify_notes);

/* By rating, 1 to 5. */
const char *const demo_rate_notes[6] = {
  "",
  "回访市民，对处置结果不满意，认为问题仍未根本解决。",
  "回访市民，表示基本不满意，反映处置速度慢。",
  "回访市民，表示基本满意。",
  "回访市民，表示满意。",
  "回访市民，表示非常满意，感谢街道及时处理。",
};

const char *const demo_legal_approved_notes[] = {
  "经司法所法制审核，该执法决定事实清楚、证据确凿、程序合法、适用依据正确，同意。",
  "法制审核通过，同意作出处理决定。",
};
const guint demo_n_legal_approved_notes = G_N_ELEMENTS (demo_legal_approved_notes);

const char *const demo_legal_refused_notes[] = {
  "法制审核意见：证据材料不完整，缺少现场勘验笔录，请补充后重新报审。",
  "法制审核意见：告知程序不完整，请补充送达回证后重新报审。",
};
const guint demo_n_legal_refused_notes = G_N_ELEMENTS (demo_legal_refused_notes);

const char *const demo_reopen_reasons[] = {
  "市民再次来电反映问题出现反弹，重新立案办理。",
  "督查回访发现问题未彻底解决，重新启动办理。",
};
const guint demo_n_reopen_reasons = G_N_ELEMENTS (demo_reopen_reasons);

const char *const demo_check_deductions[] = {
  "值班人员未按时到岗，扣分。",
  "吹哨后报到超时，扣分。",
  "工作台账记录不完整。",
  "联席会议无故缺席。",
  "处置反馈材料缺少现场照片。",
  "执法记录仪未全程开启。",
  "巡查频次未达到要求。",
};
const guint demo_n_check_deductions = G_N_ELEMENTS (demo_check_deductions);

const char *const demo_check_praise[] = {
  "",
  "",
  "",
  "报到及时，处置规范。",
  "积极配合街道开展联合执法。",
  "台账完整，记录清晰。",
};
const guint demo_n_check_praise = G_N_ELEMENTS (demo_check_praise);
