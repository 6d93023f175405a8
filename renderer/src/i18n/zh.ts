// 渲染端的简体中文消息:键与 en.ts 完全相同(缺一个或多一个都无法通过编译),参数名也必须相同(由测试检查)。
// Terms follow the paper's usual Chinese: 注意力迁移 (attention transfer), 知识蒸馏 (knowledge distillation),
// 教师/学生 (teacher/student), 注意力图 (attention map), 种子 (seed), 提示组 (hint groups).
import type { Translation } from '../../../core/i18n/messages.js';
import type { en } from './en.js';

export const zh: Translation<typeof en> = {
  'fmt.seconds': "{s} 秒",
  'fmt.minSec': "{m} 分 {s} 秒",
  'fmt.hourMin': "{h} 小时 {m} 分",
  'fmt.rate': "{n} 张/秒",
  'app.skip': "跳到正文",
  'app.brand': "Attention Transfer Studio",
  'app.navLabel': "主导航",
  'app.nav.new': "新建运行",
  'app.nav.runs': "运行",
  'app.nav.compare': "比较",
  'app.nav.studies': "研究",
  'app.theme': "主题",
  'app.theme.system': "跟随系统",
  'app.theme.light': "浅色",
  'app.theme.dark': "深色",
  'app.language': "语言",
  'app.notFound': "页面不存在",
  'app.notFoundBefore': "此地址下没有内容:",
  'app.notFoundLink': "前往运行列表",
  'app.dismiss': "关闭",
};
