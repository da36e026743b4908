import { describe, expect, it } from 'vitest';
import type { ColumnRole, SemanticKind } from '../../contracts/data-api';
import { ROLE_NAME_PATTERNS, guessRoles, matchRoleName, normaliseHeader, roleFit, type RoleColumn } from './roles';

const TYPES: Record<SemanticKind, string> = {
  integer: 'BIGINT',
  decimal: 'DOUBLE',
  money: 'DOUBLE',
  percent: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  id: 'VARCHAR',
  text: 'VARCHAR',
  native: 'BLOB',
};

type Spec = [name: string, kind: SemanticKind, stats?: Partial<NonNullable<RoleColumn['stats']>>];

function cols(specs: Spec[]): RoleColumn[] {
  return specs.map(([name, kind, stats]) => {
    const col: RoleColumn = { name, kind, duckdbType: TYPES[kind] };
    if (stats) col.stats = { distinctShare: 0.5, avgLength: 10, ...stats };
    return col;
  });
}

/** Roles as { column: role } without the columns that got none. */
function assigned(specs: Spec[]): Record<string, ColumnRole> {
  const roles = guessRoles(cols(specs));
  return Object.fromEntries(specs.map(([name], i) => [name, roles[i]!]).filter(([, role]) => role !== 'none'));
}

describe('normaliseHeader', () => {
  it('lower-cases and strips spaces, underscores, hyphens and dots', () => {
    expect(normaliseHeader('Sub-Category')).toBe('subcategory');
    expect(normaliseHeader('order_number')).toBe('ordernumber');
    expect(normaliseHeader(' Lineitem  sku ')).toBe('lineitemsku');
    expect(normaliseHeader('Cust.ID')).toBe('custid');
    expect(normaliseHeader('\uFEFF商品 ID')).toBe('商品id');
  });
});

describe('guessRoles on real header sets', () => {
  it('UCI Online Retail', () => {
    expect(
      assigned([
        ['InvoiceNo', 'id', { distinctShare: 0.47, avgLength: 6 }],
        ['StockCode', 'id', { distinctShare: 0.17, avgLength: 5 }],
        ['Description', 'text', { distinctShare: 0.17, avgLength: 27 }],
        ['Quantity', 'integer', { min: -9360, max: 4800 }],
        ['InvoiceDate', 'timestamp'],
        ['UnitPrice', 'decimal', { min: 0, max: 1600 }],
        ['CustomerID', 'integer', { distinctShare: 0.2, min: 12347, max: 18287 }],
        ['Country', 'text', { distinctShare: 0.002, avgLength: 13 }],
      ]),
    ).toEqual({
      InvoiceNo: 'order_id',
      StockCode: 'product_id',
      Description: 'product_name',
      Quantity: 'quantity',
      InvoiceDate: 'timestamp',
      UnitPrice: 'unit_price',
      CustomerID: 'customer_id',
      Country: 'country',
    });
  });

  it('Superstore (the header of superstore_orders_train.csv)', () => {
    expect(
      assigned([
        ['Row ID', 'integer'],
        ['Order ID', 'text', { distinctShare: 0.5, avgLength: 14 }],
        ['Order Date', 'date'],
        ['Ship Date', 'date'],
        ['Ship Mode', 'text', { distinctShare: 0.0005, avgLength: 12 }],
        ['Customer ID', 'text', { distinctShare: 0.09, avgLength: 8 }],
        ['Customer Name', 'text', { distinctShare: 0.09, avgLength: 13 }],
        ['Segment', 'text', { distinctShare: 0.0003, avgLength: 8 }],
        ['Country', 'text', { distinctShare: 0.0001, avgLength: 13 }],
        ['City', 'text', { distinctShare: 0.06, avgLength: 9 }],
        ['State', 'text', { distinctShare: 0.005, avgLength: 9 }],
        ['Postal Code', 'id', { distinctShare: 0.07, avgLength: 5 }],
        ['Region', 'text', { distinctShare: 0.0005, avgLength: 5 }],
        ['Product ID', 'text', { distinctShare: 0.2, avgLength: 15 }],
        ['Category', 'text', { distinctShare: 0.0003, avgLength: 10 }],
        ['Sub-Category', 'text', { distinctShare: 0.002, avgLength: 8 }],
        ['Product Name', 'text', { distinctShare: 0.2, avgLength: 36 }],
        ['Sales', 'decimal', { min: 0.44, max: 22638 }],
        ['Quantity', 'integer', { min: 1, max: 14 }],
        ['Discount', 'decimal', { min: 0, max: 0.8 }],
        ['Profit', 'decimal', { min: -6600, max: 8400 }],
      ]),
    ).toEqual({
      'Order ID': 'order_id',
      'Order Date': 'timestamp',
      'Customer ID': 'customer_id',
      Country: 'country',
      'Product ID': 'product_id',
      Category: 'category',
      'Product Name': 'product_name',
      Sales: 'line_amount',
      Quantity: 'quantity',
    });
  });

  it('a Shopify orders export, where Name is the order name (#1001)', () => {
    expect(
      assigned([
        ['Name', 'text', { distinctShare: 0.6, avgLength: 5 }],
        ['Email', 'text', { distinctShare: 0.4, avgLength: 20 }],
        ['Financial Status', 'text', { distinctShare: 0.001, avgLength: 4 }],
        ['Paid at', 'timestamp'],
        ['Fulfillment Status', 'text'],
        ['Fulfilled at', 'timestamp'],
        ['Currency', 'text'],
        ['Subtotal', 'money'],
        ['Shipping', 'money'],
        ['Taxes', 'money'],
        ['Total', 'money'],
        ['Discount Amount', 'money'],
        ['Created at', 'timestamp'],
        ['Lineitem quantity', 'integer', { min: 1, max: 12 }],
        ['Lineitem name', 'text', { avgLength: 30 }],
        ['Lineitem price', 'money'],
        ['Lineitem compare at price', 'money'],
        ['Lineitem sku', 'text'],
        ['Billing Name', 'text'],
        ['Billing City', 'text'],
        ['Billing Country', 'text'],
        ['Shipping Country', 'text'],
        ['Cancelled at', 'timestamp'],
        ['Refunded Amount', 'money'],
        ['Id', 'integer'],
        ['Vendor', 'text'],
      ]),
    ).toEqual({
      Name: 'order_id',
      Email: 'customer_id',
      Total: 'line_amount',
      'Created at': 'timestamp',
      'Lineitem quantity': 'quantity',
      'Lineitem name': 'product_name',
      'Lineitem price': 'unit_price',
      'Lineitem sku': 'product_id',
      'Shipping Country': 'country',
    });
  });

  it('does not read a plain Name column as an order id outside a Shopify export', () => {
    expect(
      assigned([
        ['Name', 'text'],
        ['Email', 'text'],
      ]),
    ).toEqual({ Email: 'customer_id' });
  });

  it('a Taobao orders export', () => {
    expect(
      assigned([
        ['订单编号', 'id'],
        ['买家会员名', 'text'],
        ['商品名称', 'text', { avgLength: 25 }],
        ['商品ID', 'id'],
        ['数量', 'integer', { min: 1, max: 5 }],
        ['单价', 'decimal'],
        ['实付金额', 'money'],
        ['下单时间', 'timestamp'],
        ['收货地址', 'text', { avgLength: 30 }],
      ]),
    ).toEqual({
      订单编号: 'order_id',
      买家会员名: 'customer_id',
      商品名称: 'product_name',
      商品ID: 'product_id',
      数量: 'quantity',
      单价: 'unit_price',
      实付金额: 'line_amount',
      下单时间: 'timestamp',
    });
  });

  it("women's clothing reviews", () => {
    expect(
      assigned([
        ['column00', 'integer', { distinctShare: 1 }],
        ['Clothing ID', 'integer', { distinctShare: 0.05, min: 0, max: 1205 }],
        ['Age', 'integer', { min: 18, max: 99 }],
        ['Title', 'text', { distinctShare: 0.6, avgLength: 19 }],
        ['Review Text', 'text', { distinctShare: 0.99, avgLength: 308 }],
        ['Rating', 'integer', { distinctShare: 0.0002, min: 1, max: 5 }],
        ['Recommended IND', 'boolean'],
        ['Positive Feedback Count', 'integer', { min: 0, max: 122 }],
        ['Division Name', 'text', { distinctShare: 0.0001, avgLength: 7 }],
        ['Department Name', 'text', { distinctShare: 0.0003, avgLength: 5 }],
        ['Class Name', 'text', { distinctShare: 0.001, avgLength: 7 }],
      ]),
    ).toEqual({
      'Clothing ID': 'product_id',
      'Review Text': 'review_text',
      Rating: 'rating',
      'Department Name': 'category',
    });
  });

  it('online shoppers intention: Revenue is a yes/no label, not an amount; Region a code', () => {
    expect(
      assigned([
        ['Administrative', 'integer'],
        ['ProductRelated_Duration', 'decimal'],
        ['BounceRates', 'decimal'],
        ['PageValues', 'decimal'],
        ['SpecialDay', 'decimal'],
        ['Month', 'text'],
        ['Region', 'integer'],
        ['TrafficType', 'integer'],
        ['VisitorType', 'text'],
        ['Weekend', 'boolean'],
        ['Revenue', 'boolean'],
      ]),
    ).toEqual({});
  });

  it('Chinese reviews and the bakery baskets', () => {
    expect(
      assigned([
        ['cat', 'text', { distinctShare: 0.001 }],
        ['label', 'integer'],
        ['review', 'text', { avgLength: 60 }],
      ]),
    ).toEqual({
      cat: 'category',
      review: 'review_text',
    });
    expect(
      assigned([
        ['Date', 'date'],
        ['Time', 'text'],
        ['Transaction', 'integer'],
        ['Item', 'text'],
      ]),
    ).toEqual({
      Date: 'timestamp',
      Transaction: 'order_id',
      Item: 'product_name',
    });
  });

  it('accepts common spellings of each role in English and Chinese', () => {
    const cases: [string, SemanticKind, ColumnRole][] = [
      ['order_number', 'integer', 'order_id'],
      ['Order ID', 'text', 'order_id'],
      ['订单号', 'id', 'order_id'],
      ['user_id', 'integer', 'customer_id'],
      ['buyer', 'text', 'customer_id'],
      ['会员名', 'text', 'customer_id'],
      ['客户编号', 'id', 'customer_id'],
      ['用户ID', 'integer', 'customer_id'],
      ['SKU', 'text', 'product_id'],
      ['货号', 'text', 'product_id'],
      ['宝贝标题', 'text', 'product_name'],
      ['Product Type', 'text', 'category'],
      ['类目', 'text', 'category'],
      ['分类', 'text', 'category'],
      ['订单创建时间', 'timestamp', 'timestamp'],
      ['付款时间', 'timestamp', 'timestamp'],
      ['Qty', 'integer', 'quantity'],
      ['购买数量', 'integer', 'quantity'],
      ['Price', 'money', 'unit_price'],
      ['价格', 'decimal', 'unit_price'],
      ['Amount', 'decimal', 'line_amount'],
      ['Revenue', 'money', 'line_amount'],
      ['总金额', 'money', 'line_amount'],
      ['金额', 'decimal', 'line_amount'],
      ['国家', 'text', 'country'],
      ['省份', 'text', 'country'],
      ['comment', 'text', 'review_text'],
      ['评价内容', 'text', 'review_text'],
      ['评论', 'text', 'review_text'],
      ['Stars', 'integer', 'rating'],
      ['评分', 'integer', 'rating'],
      ['星级', 'integer', 'rating'],
    ];
    for (const [name, kind, role] of cases) {
      expect([name, guessRoles(cols([[name, kind]]))[0]]).toEqual([name, role]);
    }
  });
});

describe('values decide what the name cannot', () => {
  it('needs a date or timestamp for the timestamp role', () => {
    expect(assigned([['Order Date', 'text']])).toEqual({});
    expect(assigned([['Order Date', 'date']])).toEqual({ 'Order Date': 'timestamp' });
  });

  it('prefers the order date to the ship date, sales to profit, category to sub-category', () => {
    expect(
      assigned([
        ['Ship Date', 'date'],
        ['Order Date', 'date'],
      ]),
    ).toEqual({ 'Order Date': 'timestamp' });
    expect(
      assigned([
        ['Profit', 'decimal'],
        ['Sales', 'decimal'],
      ]),
    ).toEqual({ Sales: 'line_amount' });
    expect(
      assigned([
        ['Sub-Category', 'text'],
        ['Category', 'text'],
      ]),
    ).toEqual({ Category: 'category' });
  });

  it('needs a rating to be a number between 0 and 10', () => {
    expect(assigned([['Rating', 'integer', { min: 1, max: 5 }]])).toEqual({ Rating: 'rating' });
    expect(assigned([['Rating', 'integer', { min: 1, max: 10 }]])).toEqual({ Rating: 'rating' });
    expect(assigned([['Rating', 'integer', { min: 0, max: 1500 }]])).toEqual({});
    expect(assigned([['Rating', 'text']])).toEqual({});
  });

  it('needs long text for review text', () => {
    expect(assigned([['Review', 'text', { avgLength: 120 }]])).toEqual({ Review: 'review_text' });
    expect(assigned([['Review', 'text', { avgLength: 4 }]])).toEqual({});
  });

  it('needs a number for quantities and prices', () => {
    expect(
      assigned([
        ['Quantity', 'text'],
        ['Price', 'text'],
      ]),
    ).toEqual({});
    expect(
      assigned([
        ['Quantity', 'integer'],
        ['Price', 'decimal'],
      ]),
    ).toEqual({ Quantity: 'quantity', Price: 'unit_price' });
  });

  it('does not take a handful of repeated values for an id', () => {
    expect(roleFit(cols([['Customer ID', 'text', { distinctShare: 0.00001 }]])[0]!, 'customer_id')).toBeLessThan(1);
  });

  it('takes the only date column as the timestamp and long free text as reviews when no name says so', () => {
    expect(
      assigned([
        ['when', 'timestamp'],
        ['what', 'text', { avgLength: 140 }],
        ['x', 'integer'],
      ]),
    ).toEqual({
      when: 'timestamp',
      what: 'review_text',
    });
    expect(
      assigned([
        ['d1', 'date'],
        ['d2', 'date'],
      ]),
    ).toEqual({});
  });

  it('gives each role to at most one column', () => {
    const roles = guessRoles(
      cols([
        ['Country', 'text'],
        ['Shipping Country', 'text'],
        ['Billing Country', 'text'],
      ]),
    );
    expect(roles).toEqual(['country', 'none', 'none']);
  });
});

describe('the exported pattern table', () => {
  it('explains a guess', () => {
    expect(matchRoleName('Order Date', 'timestamp')).toMatchObject({ role: 'timestamp', score: 1 });
    expect(matchRoleName('Ship Date', 'timestamp')!.score).toBeLessThan(1);
    expect(matchRoleName('Name', 'order_id')).toBeUndefined();
    expect(matchRoleName('Name', 'order_id', true)).toMatchObject({ shopifyOnly: true });
  });

  it('covers every role with English and Chinese names', () => {
    const roles = new Set(ROLE_NAME_PATTERNS.map((p) => p.role));
    expect(roles.size).toBe(12);
    for (const role of roles) {
      const patterns = ROLE_NAME_PATTERNS.filter((p) => p.role === role).map((p) => p.pattern.source);
      expect(patterns.some((s) => /[\u4e00-\u9fff]/.test(s))).toBe(true);
      expect(patterns.some((s) => /[a-z]/.test(s))).toBe(true);
    }
  });
});
