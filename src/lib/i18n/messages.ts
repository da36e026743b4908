/**
 * Errors and load warnings in the user's language.
 *
 * The data layer reports problems as `{ code, message, params?, line?, column? }`
 * (`ShopSightErrorInfo`, `LoadWarning`). `message` is a specific English sentence; `code` and
 * `params` are what a translation can rely on. This module holds one template per code and
 * language, and picks it at run time:
 *
 * - English shows the data layer's own `message` (it is the most specific) and uses the
 *   template only when there is no message.
 * - Chinese uses the best template whose placeholders are all filled, else the English message.
 *
 * Templates use only params that every call site of their code passes. When a param is passed
 * by some call sites only (or may be empty), or when two call sites mean different things with
 * the same params, the code gets variants: `<code>.<segment>…`. A segment is either the name of
 * a param that must be present (`csv_padded_rows.line`) or a tag that `TAGS` derives from the
 * info (`read_only.multiple`). The variant with the most satisfied segments wins; a template is
 * never used with a placeholder left unfilled.
 *
 * `{message}` is a reserved placeholder for the data layer's own message (without its final
 * full stop): every call site passes one. It is used only where that message is the detail
 * the user needs (DuckDB's SQL errors, unexpected failures).
 *
 * messages.test.ts scans the source for every code the data layer produces and fails when one
 * has no template here.
 */
import { format, type Locale } from './index.svelte';

/** The parts of `ShopSightErrorInfo` / `LoadWarning` a translation uses. */
export interface MessageInfo {
  code: string;
  message: string;
  params?: Record<string, string | number>;
  /** 1-based line in the source file, when known. */
  line?: number;
  /** 1-based column number or a column name, when known. */
  column?: number | string;
}

export interface MessageTemplate {
  en: string;
  'zh-CN': string;
}

/** The reserved placeholder filled with the data layer's English message. */
export const MESSAGE_PLACEHOLDER = 'message';

export const MESSAGE_TEMPLATES: Record<string, MessageTemplate> = {
  // ── General ────────────────────────────────────────────────────────────────────────────
  cancelled: { en: 'Cancelled.', 'zh-CN': '已取消。' },
  internal: {
    en: 'Something unexpected went wrong. Try again; if it keeps happening, reload the page.',
    'zh-CN': '出现了意外错误。请重试；如果问题仍然存在，请刷新页面。',
  },
  'internal.message': {
    en: 'Something unexpected went wrong: {message}. Try again; if it keeps happening, reload the page.',
    'zh-CN': '出现了意外错误：{message}。请重试；如果问题仍然存在，请刷新页面。',
  },
  fatal: {
    en: 'The data engine hit a fatal error and is restarting; your files are loaded again automatically.',
    'zh-CN': '数据引擎发生严重错误，正在重新启动；您的文件会自动重新加载。',
  },
  'fatal.message': {
    en: 'The data engine hit a fatal error ({message}) and is restarting; your files are loaded again automatically.',
    'zh-CN': '数据引擎发生严重错误（{message}），正在重新启动；您的文件会自动重新加载。',
  },
  worker_stopped: {
    en: 'The data engine has stopped. Reload the page and try again.',
    'zh-CN': '数据引擎已停止运行。请刷新页面后重试。',
  },
  worker_restarted: {
    en: 'The data engine restarted, so the running task was interrupted. Try again.',
    'zh-CN': '数据引擎已重新启动，正在进行的操作被中断了。请重试。',
  },
  duplicate_job: {
    en: 'That task is already running.',
    'zh-CN': '这个任务已经在运行中。',
  },

  // ── SQL console and queries ────────────────────────────────────────────────────────────
  read_only: {
    en: 'Only one read-only query (SELECT or WITH …) can be run at a time.',
    'zh-CN': '这里一次只能运行一条只读查询（SELECT 或 WITH …）。',
  },
  'read_only.keyword': {
    en: 'Only read-only queries (SELECT or WITH …) are allowed; this one starts with "{keyword}".',
    'zh-CN':
      '这里只能运行只读查询（以 SELECT 或 WITH 等开头），而这条语句以“{keyword}”开头。ShopSight 不会修改您的数据。',
  },
  'read_only.multiple': {
    en: 'Only one statement can be run at a time.',
    'zh-CN': '一次只能运行一条语句。请只保留一条语句（删掉分号 ; 后面的部分），然后再运行。',
  },
  'read_only.unclosed': {
    en: 'A string, quoted name or comment in the query is not closed.',
    'zh-CN': '查询中有字符串、带引号的名称或注释没有闭合。请补上缺少的引号或 */，然后再运行。',
  },
  empty_query: {
    en: 'Type a query first, e.g. SELECT * FROM orders LIMIT 10.',
    'zh-CN': '请先输入查询，例如 SELECT * FROM orders LIMIT 10。',
  },
  remote_access: {
    en: 'ShopSight never reads from the internet. Load the file into ShopSight instead.',
    'zh-CN': 'ShopSight 从不读取网络上的数据。请先把文件下载到本地，再加载到 ShopSight 中。',
  },
  bad_limit: {
    en: 'The row limit must be a positive whole number.',
    'zh-CN': '行数上限必须是正整数。',
  },
  sql_error: {
    en: 'The query could not be run. Check the table and column names and the syntax.',
    'zh-CN': '查询无法运行。请检查表名、列名和语法。',
  },
  'sql_error.message': {
    en: 'The query could not be run: {message}.',
    'zh-CN': '查询无法运行：{message}。请检查表名、列名和语法。',
  },

  // ── Tables and roles ───────────────────────────────────────────────────────────────────
  // Prepare (recipes). Details (step, column) are in the English message, kept for en.
  bad_recipe: {
    en: 'This recipe file is not valid.',
    'zh-CN': '这个配方文件无效，请检查后重新加载。',
  },
  schema_mismatch: {
    en: 'This table does not have the columns the recipe expects.',
    'zh-CN': '这个数据表缺少配方所需的列，或列的类型不符。',
  },
  not_fitted: {
    en: 'A step of the recipe has not been fitted yet.',
    'zh-CN': '配方中有步骤尚未拟合，请先在训练数据上拟合。',
  },
  cannot_fit: {
    en: 'A step of the recipe cannot be fitted on this data.',
    'zh-CN': '配方中的某个步骤无法在这些数据上拟合。',
  },
  recipe_failed: {
    en: 'A step of the recipe failed; the table was left as it was.',
    'zh-CN': '配方中的某个步骤执行失败；数据表保持原样。',
  },
  target_is_loaded_table: {
    en: '"{name}" is a table you loaded; choose another name for the result.',
    'zh-CN': '“{name}”是您加载的数据表，请为结果另选一个名称。',
  },
  step_converted_nothing: {
    en: 'Step {step} could not convert any of its {count} values; the recipe was not applied. Check the date format or the target type.',
    'zh-CN': '第 {step} 步的 {count} 个值全部无法转换，配方未被应用。请检查日期格式或目标类型。',
  },
  // Feature builders (src/lib/features).
  missing_role: {
    en: 'No column has the role "{role}". Set it under Columns & roles on the column that holds it.',
    'zh-CN': '没有任何列被设为“{role}”角色。请在“列与角色”中为对应的列设置该角色。',
  },
  bad_cutoff: {
    en: '"{cutoff}" is not a date. Use the form 2011-09-01.',
    'zh-CN': '“{cutoff}”不是日期，请使用 2011-09-01 这样的格式。',
  },
  no_events: {
    en: 'The table has no dated lines.',
    'zh-CN': '该数据表没有带日期的行。',
  },
  no_customers: {
    en: 'No customer has a line before {cutoff}. Choose a later cutoff date.',
    'zh-CN': '在 {cutoff} 之前没有任何客户的记录，请选择更晚的截止日期。',
  },
  label_single_class: {
    en: 'Every one of the {rows} customers has label {label}: there is nothing to learn. Choose another cutoff or horizon.',
    'zh-CN': '全部 {rows} 位客户的标签都是 {label}，无法学习。请选择其他截止日期或时间窗口。',
  },
  label_extreme_imbalance: {
    en: 'The classes are very unbalanced ({positives} positive, {negatives} negative): accuracy will mislead; look at recall, PR-AUC and the baseline.',
    'zh-CN':
      '类别极不平衡（正例 {positives} 个，负例 {negatives} 个）：准确率会产生误导，请关注召回率、PR-AUC 和基线。',
  },
  label_window_beyond_data: {
    en: 'The data ends at {lastEvent}, before the label window ends ({windowEnd}): late customers may be labelled wrongly.',
    'zh-CN': '数据截止于 {lastEvent}，早于标签窗口的结束时间（{windowEnd}）：部分客户的标签可能不准确。',
  },
  unknown_table: {
    en: 'There is no table named "{table}".',
    'zh-CN': '没有名为“{table}”的数据表。',
  },
  unknown_column: {
    en: 'The table has no column "{column}".',
    'zh-CN': '该数据表没有名为“{column}”的列。',
  },
  empty_result: {
    en: 'The analysis produced no columns to store.',
    'zh-CN': '分析没有产生可以保存的列。',
  },
  duplicate_column: {
    en: 'The result has two columns named "{column}".',
    'zh-CN': '结果中有两列都叫“{column}”。',
  },
  no_data_link: {
    en: 'The ML engine is not connected to the data engine yet. Wait a moment and try again.',
    'zh-CN': '机器学习引擎尚未连接到数据引擎。请稍候再试。',
  },
  job_exists: {
    en: 'This job is already running.',
    'zh-CN': '该任务已在运行。',
  },
  // Forecast chapter (ml/services/forecast-service.ts).
  forecast_no_date: {
    en: '"{column}" is not a date column: choose the column with the order or sales date.',
    'zh-CN': '“{column}”不是日期列：请选择订单日期或销售日期所在的列。',
  },
  forecast_value_not_numeric: {
    en: '"{column}" is {type}, not a number: choose a numeric value to forecast (sales, quantity …).',
    'zh-CN': '“{column}”的类型是 {type}，不是数值：请选择要预测的数值列（销售额、数量等）。',
  },
  forecast_series_too_short: {
    en: 'The series has {periods} periods; this backtest needs at least {needed}. Choose a shorter horizon, fewer backtest windows or a finer frequency.',
    'zh-CN': '该序列只有 {periods} 期，此回测至少需要 {needed} 期。请缩短预测期数、减少回测窗口或选择更细的频率。',
  },
  forecast_bad_freq: {
    en: 'Unknown frequency "{freq}": use automatic, daily, weekly or monthly.',
    'zh-CN': '无法识别的频率“{freq}”：请使用自动、按日、按周或按月。',
  },
  forecast_bad_horizon: {
    en: 'The horizon "{horizon}" must be a whole number of periods from 1 to 1000.',
    'zh-CN': '预测期数“{horizon}”必须是 1 到 1000 之间的整数。',
  },
  forecast_bad_level: {
    en: 'The interval level must be between 0 and 1 (e.g. 0.8 for P10–P90).',
    'zh-CN': '区间水平必须介于 0 和 1 之间（例如 0.8 表示 P10–P90）。',
  },
  forecast_unknown_model: {
    en: 'Unknown forecasting model "{model}".',
    'zh-CN': '未知的预测模型“{model}”。',
  },
  forecast_not_available: {
    en: 'Forecasting is not available in this setup.',
    'zh-CN': '当前环境不支持预测。',
  },
  forecast_bad_holiday: {
    en: 'The holiday "{date}" is not a date (use YYYY-MM-DD).',
    'zh-CN': '节假日“{date}”不是有效日期（请使用 YYYY-MM-DD）。',
  },
  // Forecast inputs: calendar, covariates, global model (forecast-service.ts, forecast-neural.ts).
  forecast_bad_covariate: {
    en: 'The covariate "{column}" is not valid: give a numeric column and mean, sum or max.',
    'zh-CN': '协变量“{column}”无效：请选择数值列，汇总方式为平均、求和或最大值。',
  },
  forecast_covariate_future: {
    en: '"{column}" is declared known in advance: give its planned value for the {horizon} forecast periods (one number for all, or one per period), or untick “known in advance”.',
    'zh-CN':
      '“{column}”已声明为事先已知：请填写其在 {horizon} 个预测期的计划值（一个数通用，或每期一个），或取消勾选“事先已知”。',
  },
  forecast_covariate_leak: {
    en: 'A covariate reaches past the end of the series; only covariates declared known may be used for the forecast dates.',
    'zh-CN': '有协变量超出了序列末尾；只有声明为事先已知的协变量才能用于预测日期。',
  },
  forecast_inputs_need_neural: {
    en: 'Calendar, covariate and global options are for the LSTM / GRU: tick one of them too.',
    'zh-CN': '日历、协变量和全局模型选项只用于 LSTM / GRU：请同时勾选其中之一。',
  },
  forecast_global_needs_split: {
    en: 'A global model learns across several series: choose a column to split by (category, product …).',
    'zh-CN': '全局模型需要跨多个序列学习：请选择拆分依据列（品类、商品等）。',
  },
  forecast_bad_holiday_window: {
    en: 'The holiday window "{days}" must be 0 to 7 days.',
    'zh-CN': '节假日窗口“{days}”必须为 0 到 7 天。',
  },
  // ── Segments and anomalies (issue 6) ──────────────────────────────────────────────────
  no_customer_id: {
    en: 'Table "{table}" has no column with the role customer_id. Build a customer table (Prepare → Build features) or set the role.',
    'zh-CN': '数据表“{table}”没有角色为“客户 ID”的列。请先构建客户表（数据准备 → 构建特征），或为列设置该角色。',
  },
  segments_not_customer_table: {
    en: '"{table}" has several rows per customer: build a customer table first (Prepare → Build features).',
    'zh-CN': '“{table}”中每位客户有多行：请先构建客户表（数据准备 → 构建特征）。',
  },
  segments_too_few_rows: {
    en: '{rows} customers with all the chosen features are too few for {k} segments.',
    'zh-CN': '具备所选全部特征的客户只有 {rows} 位，不足以分成 {k} 个细分群体。',
  },
  all_values_identical: {
    en: 'Every row of "{table}" has the same values in the chosen features: there is nothing to tell apart.',
    'zh-CN': '数据表“{table}”中所有行在所选特征上的取值都相同：无法区分。',
  },
  anomalies_too_few_rows: {
    en: '{rows} rows are too few to tell unusual from usual (at least 10 are needed).',
    'zh-CN': '只有 {rows} 行，太少，无法区分异常与正常（至少需要 10 行）。',
  },
  // Recommendations and review sentiment (src/lib/ml/services/recommend-service.ts).
  no_basket_column: {
    en: 'Recommendations need a customer or an order/basket column. Set the role customer_id or order_id under Columns & roles.',
    'zh-CN': '推荐需要客户列或订单/购物篮列。请在“列与角色”中设置 customer_id 或 order_id 角色。',
  },
  single_product: {
    en: 'The table has only one product ("{product}"): there is nothing to recommend.',
    'zh-CN': '该数据表只有一种商品（“{product}”），没有可推荐的内容。',
  },
  single_class_ratings: {
    en: 'Every labelled review has the same sentiment: a sentiment model needs both positive and negative reviews.',
    'zh-CN': '所有已标注的评论情感都相同：情感模型需要同时有正面和负面评论。',
  },
  too_few_labelled: {
    en: 'Only {count} reviews have a usable rating or label; at least 10, with two of each sentiment, are needed.',
    'zh-CN': '只有 {count} 条评论有可用的评分或标签；至少需要 10 条，且正负面各至少 2 条。',
  },
  empty_text_column: {
    en: 'The column "{column}" has no review text.',
    'zh-CN': '“{column}”列中没有评论文本。',
  },
  // Classify (src/lib/ml/services/classify-service.ts, src/lib/ml/classify/models.ts)
  single_class_target: {
    en: 'The target "{column}" has only one class; a classifier needs rows of two classes.',
    'zh-CN': '目标列“{column}”只有一个类别；分类模型需要两个类别的行。',
  },
  multiclass_target: {
    en: 'The target "{column}" has {values} different values; Classify predicts a yes/no target with exactly two.',
    'zh-CN': '目标列“{column}”有 {values} 个不同的值；分类只支持恰好两个值的是/否目标。',
  },
  no_usable_features: {
    en: 'No usable feature: choose at least one column with numbers, yes/no values or text categories.',
    'zh-CN': '没有可用的特征：请至少选择一列数值、是/否或文本类别列。',
  },
  too_few_rows_per_class: {
    en: 'The rarer class has only {rows} training rows; {folds}-fold cross-validation needs at least {folds}. Use fewer folds or more data.',
    'zh-CN': '较少的类别只有 {rows} 行训练数据；{folds} 折交叉验证至少需要 {folds} 行。请减少折数或增加数据。',
  },
  unknown_comparison: {
    en: 'That comparison is no longer in memory; compare the models again.',
    'zh-CN': '该比较结果已不在内存中；请重新比较模型。',
  },
  unknown_model: {
    en: 'The model is no longer loaded (the ML engine may have restarted). Load it again from your saved models.',
    'zh-CN': '该模型已不在内存中（机器学习引擎可能已重启）。请从已保存的模型重新加载。',
  },
  bad_model: {
    en: 'This is not a ShopSight model file, or it is damaged.',
    'zh-CN': '这不是 ShopSight 模型文件，或文件已损坏。',
  },
  // Classify explanations and search (src/lib/ml/services/classify-explain.ts)
  explain_unsupported: {
    en: 'Per-row explanations exist for logistic regression, decision trees, forests and boosting, not for {family}.',
    'zh-CN': '逐行解释适用于逻辑回归、决策树、随机森林和梯度提升，不适用于 {family}。',
  },
  explain_bad_row: {
    en: 'Row {row} is not in the held-out part; choose a row from 0 to {rows} − 1.',
    'zh-CN': '第 {row} 行不在留出部分中；请选择 0 到 {rows} − 1 之间的行。',
  },
  explain_no_held_out: {
    en: 'This model was loaded from a file and has no held-out rows; score a table with reasons instead.',
    'zh-CN': '该模型是从文件加载的，没有留出行；请改为在评分时写出原因。',
  },
  bad_search: {
    en: 'This search cannot run for "{family}": choose forest, boosting, logistic, knn or tree with positive values.',
    'zh-CN': '无法为“{family}”运行搜索：请选择 forest、boosting、logistic、knn 或 tree，并使用正数取值。',
  },
  'bad_search.param': {
    en: 'The {family} search cannot use "{param}" as given: use one of its searchable parameters with a list of positive numbers.',
    'zh-CN': '{family} 的搜索无法按给定方式使用“{param}”：请使用可搜索的参数，并给出正数列表。',
  },
  'bad_search.points': {
    en: 'The grid has {points} points; keep it at 60 or fewer, or use random search.',
    'zh-CN': '网格共有 {points} 个点；请控制在 60 个以内，或改用随机搜索。',
  },
  // Classify, regression side (src/lib/ml/services/regression-service.ts, src/lib/ml/classify/task.ts)
  non_numeric_target: {
    en: 'The target "{column}" does not hold numbers, so it cannot be predicted by regression: choose a numeric column, or the classification task.',
    'zh-CN': '目标列“{column}”不是数值，无法用回归预测：请选择数值列，或改用分类任务。',
  },
  constant_target: {
    en: 'The target "{column}" has the same value on every row; there is nothing to predict.',
    'zh-CN': '目标列“{column}”在每一行的值都相同；没有可预测的内容。',
  },
  model_not_for_task: {
    en: 'The model family "{model}" does not exist for {task}; choose from {models}.',
    'zh-CN': '模型类型“{model}”不适用于{task}任务；请从 {models} 中选择。',
  },
  too_few_rows: {
    en: 'Only {rows} training rows have a target; {folds}-fold cross-validation needs at least twice as many rows as folds. Use fewer folds or more data.',
    'zh-CN': '只有 {rows} 行训练数据有目标值；{folds} 折交叉验证所需的行数至少是折数的两倍。请减少折数或增加数据。',
  },
  feature_not_numeric: {
    en: '"{column}" is {type}, not a number: choose numeric or yes/no features, or encode it first (Prepare → one-hot).',
    'zh-CN': '“{column}”的类型是 {type}，不是数值：请选择数值或是/否特征，或先在“数据准备”中进行编码（如独热编码）。',
  },
  no_numeric_features: {
    en: 'Table "{table}" has no numeric or yes/no columns to score. Encode categories first (Prepare → one-hot).',
    'zh-CN': '数据表“{table}”没有可评分的数值或是/否列。请先对类别进行编码（数据准备 → 独热编码）。',
  },
  no_target_rows: {
    en: 'No row of "{table}" has a value in "{column}".',
    'zh-CN': '数据表“{table}”中没有任何行在“{column}”列有值。',
  },
  feature_has_nulls: {
    en: '"{column}" has {count} missing values. Fill them in first (Prepare → fill in missing values).',
    'zh-CN': '“{column}”有 {count} 个缺失值。请先填补（数据准备 → 填补缺失值）。',
  },
  feature_all_null: {
    en: '"{column}" has no values on the rows that have a target.',
    'zh-CN': '在有目标值的行中，“{column}”没有任何值。',
  },
  not_finite: {
    en: '"{column}" contains NaN or infinite values.',
    'zh-CN': '“{column}”包含 NaN 或无穷大值。',
  },
  target_single_class: {
    en: '"{column}" has only one value ({value}): there is nothing to tell apart. Choose another target.',
    'zh-CN': '“{column}”只有一个取值（{value}），无从区分。请选择其他目标列。',
  },
  target_too_many_classes: {
    en: '"{column}" has too many distinct values to be used as classes.',
    'zh-CN': '“{column}”的不同取值太多，无法作为类别使用。',
  },
  'target_too_many_classes.count': {
    en: '"{column}" has {count} distinct values, more than the {max} classes allowed.',
    'zh-CN': '“{column}”有 {count} 个不同取值，超过允许的 {max} 个类别。',
  },
  target_not_numeric: {
    en: '{method} needs a numeric target; "{column}" is text.',
    'zh-CN': '{method} 需要数值型目标列；“{column}”是文本。',
  },
  chi2_negative_values: {
    en: 'χ² needs features without negative values. Scale them with min-max first, or use the ANOVA F test.',
    'zh-CN': 'χ² 检验要求特征没有负值。请先做最小-最大缩放，或改用方差分析 F 检验。',
  },
  bad_fit_rows: {
    en: 'The training rows for fitting are not usable.',
    'zh-CN': '用于拟合的训练数据行不可用。',
  },
  bad_request: {
    en: 'The request is not valid.',
    'zh-CN': '请求无效。',
  },
  bad_table_name: {
    en: 'This cannot be used as a table name. Use up to 120 letters, digits or underscores, not starting with "__".',
    'zh-CN': '这个名称不能用作数据表名称。请使用不超过 120 个字母、数字或下划线，且不要以“__”开头。',
  },
  'bad_table_name.name': {
    en: '"{name}" cannot be used as a table name. Use up to 120 letters, digits or underscores, not starting with "__".',
    'zh-CN': '“{name}”不能用作数据表名称。请使用不超过 120 个字母、数字或下划线，且不要以“__”开头。',
  },
  name_taken: {
    en: 'A table named "{name}" already exists.',
    'zh-CN': '已经有名为“{name}”的数据表了，请换一个名称。',
  },
  bad_role: {
    en: 'Unknown role "{role}".',
    'zh-CN': '未知的角色“{role}”。',
  },
  not_found: {
    en: 'The table or column was not found.',
    'zh-CN': '找不到这个数据表或列。',
  },
  'not_found.name': {
    en: 'There is no table named "{name}".',
    'zh-CN': '没有名为“{name}”的数据表。',
  },
  'not_found.column': {
    en: 'Table "{table}" has no column "{column}".',
    'zh-CN': '数据表“{table}”中没有“{column}”列。',
  },
  insert_failed: {
    en: 'The data could not be stored in the database. Load the file again; if it keeps failing, reload the page.',
    'zh-CN': '数据无法写入数据库。请重新加载文件；如果仍然失败，请刷新页面。',
  },
  no_tables: {
    en: 'The file contains no table.',
    'zh-CN': '文件中没有可加载的数据表。',
  },

  // ── Files: format, compression, encoding ───────────────────────────────────────────────
  empty_file: {
    en: '{fileName} has no data. Export the data again and check that the file has rows.',
    'zh-CN': '{fileName} 中没有数据。请重新导出，并确认文件里有数据行。',
  },
  'empty_file.workbook': {
    en: '{fileName} has no data in any sheet. Check that you exported the right workbook.',
    'zh-CN': '{fileName} 的所有工作表中都没有数据。请确认导出的是正确的工作簿。',
  },
  zip_archive: {
    en: '{fileName} is a ZIP archive, not a table. Unzip it first, then load the CSV, Excel or Parquet file inside.',
    'zh-CN': '{fileName} 是 ZIP 压缩包，不是表格。请先解压，再加载里面的 CSV、Excel 或 Parquet 文件。',
  },
  binary_file: {
    en: '{fileName} ({kind}) is not a table ShopSight can read. Export your data as CSV (UTF-8), Excel (.xlsx), Parquet or JSON and load that file instead.',
    'zh-CN':
      '{fileName}（{kind}）不是 ShopSight 能读取的表格。请把数据导出为 CSV（UTF-8）、Excel（.xlsx）、Parquet 或 JSON 文件，再加载该文件。',
  },
  wrong_extension: {
    en: '{fileName} is really {actual}; it was read as such. Renaming it would avoid surprises in other tools.',
    'zh-CN': '{fileName} 实际上是 {actual}，已按实际格式读取。建议修改文件扩展名，以免在其他软件中打开时出错。',
  },
  corrupt_gzip: {
    en: 'The file looks like a gzip file but could not be decompressed. It may be incomplete or damaged: download or export it again, or unzip it yourself and load the file inside.',
    'zh-CN':
      '这个文件看起来是 gzip 压缩文件，但无法解压，可能不完整或已损坏。请重新下载或导出，或者自己先解压，再加载里面的文件。',
  },
  'corrupt_gzip.fileName': {
    en: '{fileName} looks like a gzip file but could not be decompressed. It may be incomplete or damaged: download or export it again, or unzip it yourself and load the file inside.',
    'zh-CN':
      '{fileName} 看起来是 gzip 压缩文件，但无法解压，可能不完整或已损坏。请重新下载或导出，或者自己先解压，再加载里面的文件。',
  },
  'corrupt_gzip.nested': {
    en: '{fileName} is compressed several times over. Decompress it yourself and load the file inside.',
    'zh-CN': '{fileName} 被重复压缩了好几层。请先自己解压，再加载里面的文件。',
  },
  encoding_guessed: {
    en: '{fileName} is not UTF-8; it was read as {encoding}. If letters look wrong, choose the encoding by hand and load it again.',
    'zh-CN': '{fileName} 不是 UTF-8 编码，已按 {encoding} 编码读取。如果文字显示为乱码，请手动选择编码后重新加载。',
  },
  invalid_utf8: {
    en: '{fileName} has {count} byte sequence(s) that are not valid UTF-8; they were replaced with "�". If many letters look wrong, choose the file\'s encoding by hand.',
    'zh-CN':
      '{fileName} 中有 {count} 处字节不是有效的 UTF-8，已替换为“�”。如果很多文字显示为乱码，请手动选择文件的编码。',
  },
  'invalid_utf8.line': {
    en: '{fileName} has {count} byte sequence(s) that are not valid UTF-8 (first at line {line}, byte {offset}); they were replaced with "�". If many letters look wrong, choose the file\'s encoding by hand.',
    'zh-CN':
      '{fileName} 中有 {count} 处字节不是有效的 UTF-8（第一处在第 {line} 行，第 {offset} 个字节），已替换为“�”。如果很多文字显示为乱码，请手动选择文件的编码。',
  },

  // ── CSV ────────────────────────────────────────────────────────────────────────────────
  skipped_lines: {
    en: 'The first {count} line(s), from line {line}, do not look like part of the table and were skipped.',
    'zh-CN': '表格上方的 {count} 行（从第 {line} 行开始）看起来是标题之类的内容，不属于表格，已跳过。',
  },
  empty_column_name: {
    en: 'Column {position} has no name in the header; it was named "{name}".',
    'zh-CN': '表头中第 {position} 列没有名称，已命名为“{name}”。',
  },
  duplicate_column_name: {
    en: 'The header has "{name}" more than once; column {position} was renamed "{renamed}".',
    'zh-CN': '表头中“{name}”出现了不止一次，第 {position} 列已改名为“{renamed}”。',
  },
  no_rows: {
    en: '{fileName} has a header row but no data rows, so the table is empty.',
    'zh-CN': '{fileName} 只有表头，没有数据行，所以数据表是空的。',
  },
  csv_padded_rows: {
    en: '{count} row(s) have fewer values than the {expected} columns; the missing cells were left empty.',
    'zh-CN': '有 {count} 行的值少于表格的 {expected} 列，缺少的单元格已留空。',
  },
  'csv_padded_rows.line': {
    en: '{count} row(s) have fewer values than the {expected} columns (first at line {line}); the missing cells were left empty.',
    'zh-CN': '有 {count} 行的值少于表格的 {expected} 列（第一处在第 {line} 行），缺少的单元格已留空。',
  },
  csv_extra_values: {
    en: '{count} row(s) have more values than the {expected} columns; the extra values are in new columns: {columns}. A value with an unquoted delimiter usually causes this.',
    'zh-CN':
      '有 {count} 行的值多于表格的 {expected} 列，多出来的值放进了新增的列：{columns}。这通常是因为某个值里含有分隔符，却没有用引号括起来。',
  },
  'csv_extra_values.line': {
    en: '{count} row(s) have more values than the {expected} columns (first at line {line}); the extra values are in new columns: {columns}. A value with an unquoted delimiter usually causes this.',
    'zh-CN':
      '有 {count} 行的值多于表格的 {expected} 列（第一处在第 {line} 行），多出来的值放进了新增的列：{columns}。这通常是因为某个值里含有分隔符，却没有用引号括起来。',
  },
  csv_ragged_rows: {
    en: 'A line of {fileName} has {found} values but the table has {expected} columns. Fix that line, then load the file again.',
    'zh-CN': '{fileName} 中有一行有 {found} 个值，但表格有 {expected} 列。请修正这一行，然后重新加载文件。',
  },
  'csv_ragged_rows.line': {
    en: 'Line {line} of {fileName} has {found} values but the table has {expected} columns. Fix that line, then load the file again.',
    'zh-CN': '{fileName} 第 {line} 行有 {found} 个值，但表格有 {expected} 列。请修正这一行，然后重新加载文件。',
  },
  'csv_ragged_rows.more': {
    en: 'A line of {fileName} has {found} values but the table has {expected} columns. A value probably contains the delimiter without quotes around it: quote that value or fix the line, then load the file again.',
    'zh-CN':
      '{fileName} 中有一行有 {found} 个值，但表格只有 {expected} 列。很可能某个值里含有分隔符，却没有用引号括起来：请给这个值加上引号或修正这一行，然后重新加载文件。',
  },
  'csv_ragged_rows.more.line': {
    en: 'Line {line} of {fileName} has {found} values but the table has {expected} columns. A value probably contains the delimiter without quotes around it: quote that value or fix the line, then load the file again.',
    'zh-CN':
      '{fileName} 第 {line} 行有 {found} 个值，但表格只有 {expected} 列。很可能某个值里含有分隔符，却没有用引号括起来：请给这个值加上引号或修正这一行，然后重新加载文件。',
  },
  'csv_ragged_rows.fewer': {
    en: 'A line of {fileName} has {found} values but the table has {expected} columns. Part of the line is missing: complete it or delete it, then load the file again.',
    'zh-CN':
      '{fileName} 中有一行只有 {found} 个值，但表格有 {expected} 列，这一行缺了一部分。请补全或删除这一行，然后重新加载文件。',
  },
  'csv_ragged_rows.fewer.line': {
    en: 'Line {line} of {fileName} has {found} values but the table has {expected} columns. Part of the line is missing: complete it or delete it, then load the file again.',
    'zh-CN':
      '{fileName} 第 {line} 行只有 {found} 个值，但表格有 {expected} 列，这一行缺了一部分。请补全或删除这一行，然后重新加载文件。',
  },
  csv_unbalanced_quotes: {
    en: 'A line of {fileName} opens a quoted value that is not closed properly, so the rest of the file cannot be split into rows. Look for a stray quote: delete it, or write it twice if it belongs to the text, then load the file again.',
    'zh-CN':
      '{fileName} 中有一行的引号没有正确闭合，导致文件后面的内容无法拆分成行。请找到多余的引号：删除它；如果它本来就是文字的一部分，就连写两个引号，然后重新加载文件。',
  },
  'csv_unbalanced_quotes.line': {
    en: 'Line {line} of {fileName} opens a quoted value that is not closed properly, so the rest of the file cannot be split into rows. Look for a stray quote on that line: delete it, or write it twice if it belongs to the text, then load the file again.',
    'zh-CN':
      '{fileName} 第 {line} 行的引号没有正确闭合，导致文件后面的内容无法拆分成行。请检查这一行中多余的引号：删除它；如果它本来就是文字的一部分，就连写两个引号，然后重新加载文件。',
  },
  csv_line_too_long: {
    en: 'A line of {fileName} is {bytes} bytes long, more than the {maxBytes} bytes a single row may take. Usually a quote is never closed and the following lines were glued together; check that line, or split very long text into several cells.',
    'zh-CN':
      '{fileName} 中有一行长达 {bytes} 字节，超过了单行最多 {maxBytes} 字节的限制。这通常是因为某个引号没有闭合，后面的多行被连成了一行；请检查这一行，或把很长的文字拆到多个单元格中。',
  },
  'csv_line_too_long.line': {
    en: 'Line {line} of {fileName} is {bytes} bytes long, more than the {maxBytes} bytes a single row may take. Usually a quote is never closed and the following lines were glued together; check that line, or split very long text into several cells.',
    'zh-CN':
      '{fileName} 第 {line} 行长达 {bytes} 字节，超过了单行最多 {maxBytes} 字节的限制。这通常是因为某个引号没有闭合，后面的多行被连成了一行；请检查这一行，或把很长的文字拆到多个单元格中。',
  },
  csv_invalid_encoding: {
    en: 'A line of {fileName} contains bytes that are not valid text in the chosen encoding. Choose the file\'s encoding by hand (for example Windows-1252 or GB18030), or save it again as "CSV UTF-8" and load it again.',
    'zh-CN':
      '{fileName} 中有一行包含在所选编码下无效的字节。请手动选择文件的编码（例如 GB18030 或 Windows-1252），或者在 Excel 中另存为“CSV UTF-8”后重新加载。',
  },
  'csv_invalid_encoding.line': {
    en: 'Line {line} of {fileName} contains bytes that are not valid text in the chosen encoding. Choose the file\'s encoding by hand (for example Windows-1252 or GB18030), or save it again as "CSV UTF-8" and load it again.',
    'zh-CN':
      '{fileName} 第 {line} 行包含在所选编码下无效的字节。请手动选择文件的编码（例如 GB18030 或 Windows-1252），或者在 Excel 中另存为“CSV UTF-8”后重新加载。',
  },
  csv_parse_error: {
    en: '{fileName} could not be split into rows and columns. Check that the file is a CSV export, or choose the delimiter, quote character and encoding by hand.',
    'zh-CN': '{fileName} 无法拆分成行和列。请确认它是 CSV 导出文件，或手动选择分隔符、引号字符和编码。',
  },
  'csv_parse_error.line': {
    en: '{fileName} could not be split into rows and columns (problem near line {line}). Check that the file is a CSV export, or choose the delimiter, quote character and encoding by hand.',
    'zh-CN':
      '{fileName} 无法拆分成行和列（问题在第 {line} 行附近）。请确认它是 CSV 导出文件，或手动选择分隔符、引号字符和编码。',
  },

  // ── Excel ──────────────────────────────────────────────────────────────────────────────
  empty_rows_skipped: {
    en: '{count} empty row(s) inside sheet "{sheet}" were left out.',
    'zh-CN': '工作表“{sheet}”中间的 {count} 个空行已略过。',
  },
  excel_error_values: {
    en: '{count} cell(s) in sheet "{sheet}" hold Excel errors such as #N/A or #DIV/0!; they were left empty.',
    'zh-CN': '工作表“{sheet}”中有 {count} 个单元格是 #N/A、#DIV/0! 之类的 Excel 错误值，已留空。',
  },
  encrypted_workbook: {
    en: '{fileName} is protected with a password. Open it in Excel, remove the password (or save an unprotected copy), then load it again.',
    'zh-CN': '{fileName} 设置了密码保护。请在 Excel 中打开它，取消密码（或另存一份不加密的副本），然后重新加载。',
  },
  corrupt_workbook: {
    en: '{fileName} could not be read as an Excel workbook. Open it in Excel and save it again as .xlsx, or export the sheet as CSV.',
    'zh-CN': '{fileName} 无法作为 Excel 工作簿读取。请在 Excel 中打开并另存为 .xlsx，或者把工作表导出为 CSV。',
  },

  // ── Parquet and JSON ───────────────────────────────────────────────────────────────────
  no_columns: {
    en: 'The file has no columns to load.',
    'zh-CN': '这个文件中没有可以加载的列。',
  },
  'no_columns.fileName': {
    en: '{fileName} has no columns to load.',
    'zh-CN': '{fileName} 中没有可以加载的列。',
  },
  bigint_as_text: {
    en: 'These columns hold whole numbers too large to show exactly, so they were loaded as text: {columns}.',
    'zh-CN': '以下列中的整数太大，无法精确显示，已按文本加载：{columns}。',
  },
  parquet_unsupported: {
    en: '{fileName} uses a Parquet feature ShopSight cannot read. Export it as CSV instead.',
    'zh-CN': '{fileName} 用到了 ShopSight 暂时无法读取的 Parquet 功能。请改为导出 CSV。',
  },
  'parquet_unsupported.codec': {
    en: '{fileName} is compressed with {codec}, which ShopSight cannot read yet. Save it again with Snappy compression (or none), or export it as CSV.',
    'zh-CN':
      '{fileName} 使用 {codec} 压缩，ShopSight 暂时无法读取。请改用 Snappy 压缩（或不压缩）重新保存，或者导出为 CSV。',
  },
  corrupt_parquet: {
    en: '{fileName} could not be read as Parquet. It may be incomplete: export or download it again.',
    'zh-CN': '{fileName} 无法作为 Parquet 文件读取，可能不完整。请重新导出或下载。',
  },
  invalid_json: {
    en: '{fileName} is not valid JSON. Check the file, or export the data again.',
    'zh-CN': '{fileName} 不是有效的 JSON。请检查文件，或重新导出数据。',
  },
  'invalid_json.line': {
    en: '{fileName} is not valid JSON at line {line}, column {column}. Fix that spot (a missing comma or quote is the usual cause) or export the data again.',
    'zh-CN':
      '{fileName} 不是有效的 JSON：第 {line} 行第 {column} 列有语法错误。请修正该处（常见原因是缺少逗号或引号），或重新导出数据。',
  },
  json_nested_as_text: {
    en: 'These columns hold nested objects or lists; they were kept as JSON text: {columns}.',
    'zh-CN': '以下列包含嵌套的对象或列表，已保留为 JSON 文本：{columns}。',
  },
  json_mixed_types: {
    en: 'These columns mix numbers, text or true/false values, so they were loaded as text: {columns}.',
    'zh-CN': '以下列混合了数字、文字或 true/false 值，已按文本加载：{columns}。',
  },

  // ── Type recognition ───────────────────────────────────────────────────────────────────
  type_problems: {
    en: '{count} value(s) in "{column}" did not read as the column\'s type; they are empty in the table and kept in the rejects list.',
    'zh-CN': '“{column}”中有 {count} 个值无法按这一列的类型识别；这些单元格在表中留空，原始值保存在拒收列表中。',
  },
  'type_problems.example': {
    en: '{count} value(s) in "{column}" did not read as the column\'s type (e.g. "{example}" in row {row}); they are empty in the table and kept in the rejects list.',
    'zh-CN':
      '“{column}”中有 {count} 个值无法按这一列的类型识别（例如第 {row} 行的“{example}”）；这些单元格在表中留空，原始值保存在拒收列表中。',
  },
  ambiguous_date_format: {
    en: '"{column}" was read as {format}; no value tells month and day apart.',
    'zh-CN': '“{column}”按 {format} 格式读取为日期，但没有任何值能区分月和日，请确认顺序是否正确。',
  },
  kept_as_text: {
    en: '"{column}" was kept as text: only {share}% of its values read as {kind}.',
    'zh-CN': '“{column}”保留为文本：只有 {share}% 的值能识别为{kind}。',
  },

  // ── Embed API (answers to the host page) ───────────────────────────────────────────────
  bad_envelope: {
    en: 'The message is not a valid ShopSight call.',
    'zh-CN': '这条消息不是有效的 ShopSight 调用。',
  },
  unsupported_version: {
    en: 'Protocol version {received} is not supported; this app speaks version {supported}.',
    'zh-CN': '不支持协议版本 {received}；本应用使用的是版本 {supported}。',
  },
  unknown_method: {
    en: 'Unknown method "{method}".',
    'zh-CN': '未知的方法“{method}”。',
  },
  bad_params: {
    en: '{method}: the parameters are not valid.',
    'zh-CN': '{method}：参数无效。',
  },
  'bad_params.param': {
    en: '{method}: parameter "{param}" is not valid.',
    'zh-CN': '{method}：参数“{param}”无效。',
  },
};

type Tagger = (info: MessageInfo) => (string | false)[];

/** Variant segments no param tells apart: the call sites differ only in what they mean. */
const TAGS: Record<string, Tagger> = {
  // statement.ts: the lexer's "… is not closed." and "Only one statement …" carry no params.
  read_only: (i) => [/one statement/i.test(i.message) && 'multiple', /not closed/i.test(i.message) && 'unclosed'],
  // stage.ts: a file gzipped inside a gzip inside a gzip; gzip.ts: a damaged stream.
  corrupt_gzip: (i) => [/several times/i.test(i.message) && 'nested'],
  // stage.ts: a workbook with no data in any sheet.
  empty_file: (i) => [/any sheet/i.test(i.message) && 'workbook'],
  // csv-errors.ts: too many values (an unquoted delimiter) or too few (a cut-off line).
  csv_ragged_rows: (i) => {
    const found = Number(i.params?.found);
    const expected = Number(i.params?.expected);
    if (!Number.isFinite(found) || !Number.isFinite(expected) || found === expected) return [];
    return [found > expected ? 'more' : 'fewer'];
  },
};

type Labels = Record<Locale, Record<string, string>>;

/** Params whose values are ids (an encoding, a format, a kind) rather than text to show. */
const VALUE_LABELS: Record<string, Record<string, Labels>> = {
  encoding_guessed: {
    encoding: {
      en: {
        'utf-8': 'UTF-8',
        'utf-16le': 'UTF-16 (little-endian)',
        'utf-16be': 'UTF-16 (big-endian)',
        gb18030: 'GB18030 / GBK (Chinese)',
        'windows-1252': 'Windows-1252 (Western European)',
      },
      'zh-CN': {
        'utf-8': 'UTF-8',
        'utf-16le': 'UTF-16LE',
        'utf-16be': 'UTF-16BE',
        gb18030: 'GB18030/GBK',
        'windows-1252': 'Windows-1252',
      },
    },
  },
  binary_file: {
    kind: {
      en: { binary: 'binary data' },
      'zh-CN': {
        binary: '二进制文件',
        'a Word document': 'Word 文档',
        'a PowerPoint presentation': 'PowerPoint 演示文稿',
      },
    },
  },
  wrong_extension: {
    actual: {
      en: {
        csv: 'a CSV text file',
        xlsx: 'an Excel workbook (.xlsx)',
        xls: 'an Excel 97-2003 workbook (.xls)',
        parquet: 'a Parquet file',
        json: 'a JSON file',
        ndjson: 'a JSON Lines file',
        gzip: 'a gzip-compressed file',
      },
      'zh-CN': {
        csv: 'CSV 文本文件',
        xlsx: 'Excel 工作簿（.xlsx）',
        xls: 'Excel 97-2003 工作簿（.xls）',
        parquet: 'Parquet 文件',
        json: 'JSON 文件',
        ndjson: 'JSON Lines 文件',
        gzip: 'gzip 压缩文件',
      },
    },
  },
  kept_as_text: {
    kind: {
      en: {
        integer: 'whole numbers',
        decimal: 'numbers',
        money: 'amounts of money',
        percent: 'percentages',
        boolean: 'yes/no values',
        date: 'dates',
        timestamp: 'dates with times',
      },
      'zh-CN': {
        integer: '整数',
        decimal: '数字',
        money: '金额',
        percent: '百分比',
        boolean: '是/否值',
        date: '日期',
        timestamp: '日期时间',
      },
    },
  },
};

/** `{name}` placeholders of a template, in order. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}

/** The code a template key belongs to: `csv_padded_rows.line` → `csv_padded_rows`. */
export function codeOfKey(key: string): string {
  const dot = key.indexOf('.');
  return dot === -1 ? key : key.slice(0, dot);
}

interface Variant {
  key: string;
  segments: string[];
  placeholders: Set<string>;
}

/** Each code's templates, in order of declaration. */
const VARIANTS: Map<string, Variant[]> = (() => {
  const byCode = new Map<string, Variant[]>();
  for (const [key, template] of Object.entries(MESSAGE_TEMPLATES)) {
    const [code, ...segments] = key.split('.');
    const placeholders = new Set([...placeholdersOf(template.en), ...placeholdersOf(template['zh-CN'])]);
    const list = byCode.get(code!) ?? [];
    list.push({ key, segments, placeholders });
    byCode.set(code!, list);
  }
  return byCode;
})();

function present(value: string | number | undefined): value is string | number {
  if (value === undefined) return false;
  return typeof value === 'number' ? Number.isFinite(value) : value.trim() !== '';
}

/** The data layer's message as a placeholder value: trimmed, without its final full stop. */
function messageDetail(message: string): string {
  return message.trim().replace(/[.。]+$/, '');
}

/** The params a template may use: the present ones, plus `{message}`. */
function availableParams(info: MessageInfo): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(info.params ?? {})) if (present(value)) out[name] = value;
  const detail = messageDetail(info.message ?? '');
  if (detail !== '' && out[MESSAGE_PLACEHOLDER] === undefined) out[MESSAGE_PLACEHOLDER] = detail;
  return out;
}

/**
 * The key in `MESSAGE_TEMPLATES` that fits `info` best, or undefined when the code has no
 * template or none fits. A variant fits when each of its segments is a tag of `info` or a
 * present param and each of its placeholders can be filled. The most specific fitting one
 * wins: most segments, then most tags (they tell what happened, params only add detail),
 * then most placeholders, then the first declared.
 */
export function templateKeyFor(info: MessageInfo): string | undefined {
  const variants = VARIANTS.get(info.code);
  if (!variants) return undefined;
  const params = availableParams(info);
  const tags = new Set((TAGS[info.code]?.(info) ?? []).filter((t): t is string => typeof t === 'string'));
  let best: { key: string; rank: number[] } | undefined;
  for (const v of variants) {
    if (!v.segments.every((s) => tags.has(s) || params[s] !== undefined)) continue;
    if (![...v.placeholders].every((p) => params[p] !== undefined)) continue;
    const rank = [v.segments.length, v.segments.filter((s) => tags.has(s)).length, v.placeholders.size];
    if (!best || isBetter(rank, best.rank)) best = { key: v.key, rank };
  }
  return best?.key;
}

function isBetter(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i]! > b[i]!;
  }
  return false;
}

function render(key: string, info: MessageInfo, locale: Locale): string {
  const params = availableParams(info);
  const labels = VALUE_LABELS[info.code];
  if (labels) {
    for (const [name, byLocale] of Object.entries(labels)) {
      const value = params[name];
      const label = value === undefined ? undefined : byLocale[locale][String(value)];
      if (label !== undefined) params[name] = label;
    }
  }
  return format(MESSAGE_TEMPLATES[key]![locale], params, locale);
}

/** Does `text` already name line `line` (as written raw or with digit grouping)? */
function mentionsLine(text: string, line: number, locale: Locale): boolean {
  const forms = new Set([String(line), line.toLocaleString('en-US'), line.toLocaleString(locale)]);
  for (const form of forms) {
    if (locale === 'zh-CN' ? text.includes(`第 ${form} 行`) || text.includes(`第${form}行`) : lineWord(form).test(text))
      return true;
  }
  return false;
}

function lineWord(form: string): RegExp {
  return new RegExp(`\\bline ${form.replace(/[.,]/g, '\\$&')}(?!\\d|,\\d)`, 'i');
}

function mentionsColumn(text: string, column: number | string, locale: Locale): boolean {
  if (typeof column === 'string') return column.trim() === '' || text.includes(column);
  if (locale === 'zh-CN') return text.includes(`第 ${column} 列`) || text.includes(`第${column}列`);
  return new RegExp(`\\bcolumn ${column}(?!\\d)`, 'i').test(text);
}

/** Appends where the problem is (sheet, line, column) unless `text` says so already. */
function withLocation(text: string, info: MessageInfo, locale: Locale): string {
  const parts: string[] = [];
  const sheet = info.params?.sheet;
  const zh = locale === 'zh-CN';
  if (typeof sheet === 'string' && sheet.trim() !== '' && !text.includes(sheet)) {
    parts.push(zh ? `工作表“${sheet}”` : `sheet "${sheet}"`);
  }
  if (info.line !== undefined && Number.isFinite(info.line) && !mentionsLine(text, info.line, locale)) {
    const n = info.line.toLocaleString(locale);
    parts.push(zh ? `第 ${n} 行` : `line ${n}`);
  }
  const column = info.column;
  if (column !== undefined && !mentionsColumn(text, column, locale)) {
    if (typeof column === 'number') parts.push(zh ? `第 ${column.toLocaleString(locale)} 列` : `column ${column}`);
    else parts.push(zh ? `“${column}”列` : `column "${column}"`);
  }
  if (parts.length === 0) return text;
  return zh ? `${text}（位置：${parts.join('，')}）` : `${text} (${parts.join(', ')})`;
}

/**
 * An error or warning from the data layer as text in `locale`, with its location.
 * English: the data layer's own message (the template only when there is none).
 * Chinese: the best-fitting template, else the English message.
 */
export function localizedMessage(info: MessageInfo, locale: Locale): string {
  const message = (info.message ?? '').trim();
  if (locale === 'zh-CN') {
    const key = templateKeyFor(info);
    if (key !== undefined) return withLocation(render(key, info, 'zh-CN'), info, 'zh-CN');
  }
  if (message !== '') return withLocation(message, info, 'en');
  const key = templateKeyFor(info);
  if (key !== undefined) return withLocation(render(key, info, 'en'), info, 'en');
  return withLocation(info.code, info, 'en');
}
