/**
 * Guesses the e-commerce role of each column (order id, customer, product, timestamp,
 * quantity, price …) from its header, in English and Chinese, checked against its kind and
 * a few statistics of its values.
 *
 * Each column gets a score per role: the best matching name pattern's score times how well
 * the column's values fit the role (0 = impossible, e.g. a text column as `quantity`). Roles
 * are then handed out greedily, best score first, so each role goes to at most one column
 * ('Order Date' beats 'Ship Date', 'Sales' beats 'Profit'). `ROLE_NAME_PATTERNS` is exported
 * so the UI can explain a guess ("guessed from the name").
 */
import type { ColumnRole, SemanticKind } from '../../contracts/data-api';
import { kindForDuckType } from './kinds';

export type AssignableRole = Exclude<ColumnRole, 'none'>;

export interface RoleColumn {
  name: string;
  kind: SemanticKind;
  duckdbType: string;
  stats?: {
    /** Distinct non-missing values / non-missing values (0–1). */
    distinctShare: number;
    /** Average length in characters (text columns). */
    avgLength: number;
    min?: number;
    max?: number;
  };
}

export interface RoleNamePattern {
  role: AssignableRole;
  /** Tested against the normalised header (see `normaliseHeader`). */
  pattern: RegExp;
  /** 0–1: how sure the name alone makes us. */
  score: number;
  /** Only in a Shopify orders export (where `Name` is the order name, e.g. `#1001`). */
  shopifyOnly?: boolean;
}

/** Lower case without spaces, underscores, hyphens, dots and a few other separators. */
export function normaliseHeader(name: string): string {
  return name
    .replace(/\uFEFF/g, '')
    .toLowerCase()
    .replace(/[\s\u3000_\-.#/\\()[\]（）:：]+/g, '');
}

const p = (role: AssignableRole, pattern: RegExp, score: number, shopifyOnly = false): RoleNamePattern =>
  shopifyOnly ? { role, pattern, score, shopifyOnly } : { role, pattern, score };

/** The name table, most specific first within each role. */
export const ROLE_NAME_PATTERNS: readonly RoleNamePattern[] = [
  // order_id
  p(
    'order_id',
    /^(invoice(no|num|number|id)?|order(id|no|num|number|code|ref|reference|key)?|salesorder(id|no|number)?|transaction(id|no)?|txn(id)?|receipt(no|number|id))$/,
    1,
  ),
  p('order_id', /^name$/, 0.95, true),
  p('order_id', /(order|invoice)(id|no|num|number|code)$/, 0.8),
  p('order_id', /^(主|子)?订单(编号|号|id|号码|编码)?$/, 1),
  p('order_id', /^(交易号|交易编号|流水号|发票号|单号)$/, 0.7),
  // customer_id
  p('customer_id', /^(customer|client|buyer|user|member|shopper|account|cust)(id|no|number|code|key)$/, 1),
  p('customer_id', /^(email|customeremail|buyeremail|emailaddress|useremail)$/, 0.85),
  p('customer_id', /^(customer|client|buyer|user|member|shopper)$/, 0.7),
  p('customer_id', /^(customername|clientname|buyername|username|billingname)$/, 0.45),
  p('customer_id', /^(买家会员名|买家id|客户编号|客户id|用户id|会员id|会员编号|买家账号|用户编号|客户号)$/, 1),
  p('customer_id', /^(会员名|买家昵称|买家|客户|用户名|会员)$/, 0.85),
  p('customer_id', /^(客户名称|收货人|客户姓名)$/, 0.45),
  // product_id
  p(
    'product_id',
    /^(stockcode|sku|productid|productcode|itemid|itemcode|lineitemsku|variantsku|asin|skuid|articleid|articleno|productno)$/,
    1,
  ),
  p('product_id', /(product|item|article|clothing|goods|variant|style|sku)(id|no|code|number)$/, 0.85),
  p('product_id', /^(barcode|ean|upc|gtin)$/, 0.55),
  p('product_id', /^(商品编号|商品id|货号|宝贝id|商品编码|产品编号|产品id|sku编码|skuid|商品货号)$/, 1),
  p('product_id', /^(商家编码|商品条码|条码)$/, 0.6),
  // product_name
  p(
    'product_name',
    /^(productname|lineitemname|itemname|producttitle|itemtitle|itemdescription|productdescription|goodsname|articlename)$/,
    1,
  ),
  p('product_name', /^description$/, 0.9),
  p('product_name', /^(product|item|goods|article)$/, 0.7),
  p('product_name', /^(商品名称|宝贝标题|商品标题|宝贝名称|产品名称|商品名|品名|产品)$/, 1),
  p('product_name', /^商品$/, 0.7),
  // category
  p('category', /^(category|productcategory|categoryname|producttype|itemcategory|maincategory)$/, 1),
  p('category', /^(subcategory|category\d|cat)$/, 0.8),
  p('category', /^(department|departmentname)$/, 0.7),
  p('category', /^(class|classname|division|divisionname|type|producttypename|group|productgroup)$/, 0.5),
  p('category', /^(类目|分类|商品分类|品类|类别|一级类目|商品类目|商品类别)$/, 1),
  p('category', /^(二级类目|三级类目|子类目)$/, 0.85),
  // timestamp
  p(
    'timestamp',
    /^(invoicedate|orderdate|orderdatetime|ordertime|ordertimestamp|purchasedate|purchasetime|transactiondate|transactiontime|saledate|createdat|orderedat|ordercreatedat)$/,
    1,
  ),
  p('timestamp', /^(paidat|paymentdate|purchasedat|processedat|datetime|timestamp|createddate|creationdate)$/, 0.85),
  p('timestamp', /^(date|day|ds|time)$/, 0.7),
  p('timestamp', /(date|time|at)$/, 0.45),
  p(
    'timestamp',
    /^(shipdate|shippedat|deliverydate|deliveredat|fulfilledat|updatedat|cancelledat|closedat|reviewdate)$/,
    0.3,
  ),
  p('timestamp', /^(下单时间|订单创建时间|订单日期|下单日期|成交时间|创建时间|订单时间|交易时间)$/, 1),
  p('timestamp', /^(付款时间|支付时间|付款日期|日期|时间)$/, 0.8),
  p('timestamp', /^(发货时间|收货时间|确认收货时间|评价时间)$/, 0.3),
  // quantity
  p(
    'quantity',
    /^(quantity|qty|lineitemquantity|quantityordered|orderquantity|orderqty|units|unitssold|itemquantity|qtyordered|pieces)$/,
    1,
  ),
  p('quantity', /(quantity|qty)$/, 0.8),
  p('quantity', /^(数量|购买数量|商品数量|宝贝数量|件数|购买件数)$/, 1),
  p('quantity', /^(销量)$/, 0.6),
  // unit_price
  p('unit_price', /^(unitprice|lineitemprice|priceeach|itemprice|unitcost|saleprice|sellingprice|price)$/, 1),
  p('unit_price', /price$/, 0.6),
  p('unit_price', /^(单价|宝贝单价|商品单价|价格|商品价格|售价|销售单价)$/, 1),
  p('unit_price', /^(原价|价钱)$/, 0.5),
  // line_amount
  p(
    'line_amount',
    /^(sales|linetotal|lineamount|salesamount|totalsales|revenue|amount|total|totalamount|totalprice|saleamount|gmv|netsales|grosssales|itemtotal)$/,
    1,
  ),
  p('line_amount', /^(subtotal|ordertotal|orderamount|totalpaid|amountpaid|paidamount)$/, 0.85),
  p('line_amount', /(amount|total|revenue|sales)$/, 0.5),
  p('line_amount', /^(profit|margin|cost)$/, 0.2),
  p(
    'line_amount',
    /^(实付金额|总金额|金额|销售额|订单金额|实收款|买家实际支付金额|应付金额|总价|小计|成交金额|实付款|支付金额|销售金额)$/,
    1,
  ),
  // country
  p('country', /^(country|shippingcountry|countrycode|countryname|shipcountry|customercountry)$/, 1),
  p('country', /^(billingcountry)$/, 0.9),
  p('country', /^(region|state|province|shippingprovince|billingprovince|shippingregion|market)$/, 0.6),
  p('country', /^(city|shippingcity|billingcity)$/, 0.4),
  p('country', /^(国家|国家地区|国家\/地区)$/, 1),
  p('country', /^(地区|省份|省|收货省份|所在地区|区域)$/, 0.7),
  p('country', /^(城市|收货城市)$/, 0.4),
  // review_text
  p(
    'review_text',
    /^(reviewtext|reviewbody|reviewcontent|review|reviews|comment|comments|reviewcomment|feedbacktext|customerreview)$/,
    1,
  ),
  p('review_text', /^(feedback|text|content|body|opinion)$/, 0.5),
  p('review_text', /^(评价内容|评论|评论内容|评价|买家评价|追评|商品评价)$/, 1),
  p('review_text', /^(内容|文本)$/, 0.5),
  // rating
  p('rating', /^(rating|stars|star|starrating|reviewrating|reviewscore|rate|overall|score)$/, 1),
  p('rating', /rating$/, 0.7),
  p('rating', /^(评分|星级|打分|评星|评价星级)$/, 1),
];

const SHOPIFY_SIGNS = /^(lineitem|financialstatus|fulfillmentstatus|acceptsmarketing|billingname)/;

/** The best name pattern for a column and role, if any (what the UI shows as the reason). */
export function matchRoleName(name: string, role: AssignableRole, shopify = false): RoleNamePattern | undefined {
  const n = normaliseHeader(name);
  let best: RoleNamePattern | undefined;
  for (const pattern of ROLE_NAME_PATTERNS) {
    if (pattern.role !== role || (pattern.shopifyOnly && !shopify)) continue;
    if (pattern.pattern.test(n) && (!best || pattern.score > best.score)) best = pattern;
  }
  return best;
}

/** The kind used for fitting: natively typed columns count as the kind of their type. */
function effectiveKind(c: RoleColumn): SemanticKind {
  return c.kind === 'native' ? kindForDuckType(c.duckdbType) : c.kind;
}

const NUMBERS: readonly SemanticKind[] = ['integer', 'decimal', 'money'];

/** 0–1: how well a column's kind and values fit a role, whatever its name. */
export function roleFit(c: RoleColumn, role: AssignableRole): number {
  const kind = effectiveKind(c);
  const s = c.stats;
  switch (role) {
    case 'order_id':
    case 'customer_id':
    case 'product_id': {
      let fit = kind === 'id' || kind === 'text' || kind === 'integer' ? 1 : kind === 'decimal' ? 0.7 : 0;
      if (s && kind === 'text' && s.avgLength > 40) fit *= 0.3;
      // A handful of values repeated over a large table is a category, not an id.
      if (s && s.distinctShare < 0.001) fit *= 0.6;
      return fit;
    }
    case 'product_name':
      return kind === 'text' ? 1 : kind === 'id' ? 0.4 : 0;
    case 'category': {
      if (kind !== 'text' && kind !== 'integer' && kind !== 'id') return 0;
      let fit = kind === 'text' ? 1 : 0.4;
      if (s && s.distinctShare > 0.5) fit *= 0.3;
      return fit;
    }
    case 'timestamp':
      return kind === 'timestamp' || kind === 'date' ? 1 : 0;
    case 'quantity': {
      if (kind === 'integer') return s?.max !== undefined && s.max <= 1 && (s.min ?? 0) >= 0 ? 0.5 : 1;
      return kind === 'decimal' ? 0.6 : 0;
    }
    case 'unit_price':
    case 'line_amount':
      return kind === 'money' || kind === 'decimal' ? 1 : kind === 'integer' ? 0.8 : 0;
    case 'country': {
      if (kind !== 'text' && kind !== 'id') return 0;
      let fit = kind === 'text' ? 1 : 0.4;
      if (s && s.avgLength > 40) fit *= 0.3;
      return fit;
    }
    case 'review_text': {
      if (kind !== 'text') return 0;
      if (!s) return 1;
      return s.avgLength >= 30 ? 1 : s.avgLength >= 15 ? 0.6 : 0.2;
    }
    case 'rating': {
      if (!NUMBERS.includes(kind) || kind === 'money') return 0;
      const base = kind === 'integer' ? 1 : 0.7;
      if (!s || s.min === undefined || s.max === undefined) return base;
      const ok = s.min >= 0 && s.max <= 10 && s.max >= 3;
      return ok ? base : 0;
    }
  }
}

/** Below this a guess is not made. */
export const MIN_ROLE_SCORE = 0.3;

export interface RoleScore {
  column: number;
  role: AssignableRole;
  score: number;
  /** The name pattern behind the score; absent for guesses from the values alone. */
  pattern?: RoleNamePattern;
}

/** Every (column, role) pair worth considering, best first. */
export function scoreRoles(columns: readonly RoleColumn[]): RoleScore[] {
  const shopify = columns.some((c) => SHOPIFY_SIGNS.test(normaliseHeader(c.name)));
  const scores: RoleScore[] = [];
  columns.forEach((c, column) => {
    const n = normaliseHeader(c.name);
    const bestPerRole = new Map<AssignableRole, RoleNamePattern>();
    for (const pattern of ROLE_NAME_PATTERNS) {
      if (pattern.shopifyOnly && !shopify) continue;
      if (!pattern.pattern.test(n)) continue;
      const prev = bestPerRole.get(pattern.role);
      if (!prev || pattern.score > prev.score) bestPerRole.set(pattern.role, pattern);
    }
    for (const [role, pattern] of bestPerRole) {
      const score = pattern.score * roleFit(c, role);
      if (score >= MIN_ROLE_SCORE) scores.push({ column, role, score, pattern });
    }
  });
  // Stable sort: on equal scores the leftmost column wins.
  return scores.sort((a, b) => b.score - a.score || a.column - b.column);
}

/**
 * One role per column, each role (except `none`) given to at most one column: the best
 * scoring name match wins; then a lone date column becomes the timestamp and a long free
 * text the review text, if no name claimed them.
 */
export function guessRoles(columns: readonly RoleColumn[]): ColumnRole[] {
  const roles: ColumnRole[] = columns.map(() => 'none');
  const taken = new Set<AssignableRole>();
  for (const s of scoreRoles(columns)) {
    if (roles[s.column] !== 'none' || taken.has(s.role)) continue;
    roles[s.column] = s.role;
    taken.add(s.role);
  }

  // From the values alone, when no name matched.
  const free = (i: number): boolean => roles[i] === 'none';
  if (!taken.has('timestamp')) {
    const dates = columns.map((c, i) => ({ c, i })).filter(({ c, i }) => free(i) && roleFit(c, 'timestamp') > 0);
    if (dates.length === 1) roles[dates[0]!.i] = 'timestamp';
  }
  if (!taken.has('review_text')) {
    const texts = columns
      .map((c, i) => ({ c, i }))
      .filter(({ c, i }) => free(i) && effectiveKind(c) === 'text' && (c.stats?.avgLength ?? 0) >= 60)
      .sort((a, b) => (b.c.stats?.avgLength ?? 0) - (a.c.stats?.avgLength ?? 0));
    if (texts[0]) roles[texts[0].i] = 'review_text';
  }
  return roles;
}
