<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AlertDialog</name>
    <message>
        <source>Edit alert</source>
        <translation>编辑预警</translation>
    </message>
    <message>
        <source>New alert</source>
        <translation>新建预警</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>When</source>
        <translation>条件</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>阈值</translation>
    </message>
    <message>
        <source>Re-arm after the price moves back (0.5 %)</source>
        <translation>价格回落 0.5% 后重新启用</translation>
    </message>
</context>
<context>
    <name>Alerts</name>
    <message>
        <source>Price at or above</source>
        <translation>价格高于或等于</translation>
    </message>
    <message>
        <source>Price at or below</source>
        <translation>价格低于或等于</translation>
    </message>
    <message>
        <source>Change % at or above</source>
        <translation>涨幅达到</translation>
    </message>
    <message>
        <source>Change % at or below</source>
        <translation>跌幅达到</translation>
    </message>
    <message>
        <source>Reaches limit-up</source>
        <translation>涨停</translation>
    </message>
    <message>
        <source>Reaches limit-down</source>
        <translation>跌停</translation>
    </message>
    <message>
        <source>Opens from limit</source>
        <translation>开板</translation>
    </message>
    <message>
        <source>%1 — now %2</source>
        <translation>%1 — 现价 %2</translation>
    </message>
</context>
<context>
    <name>AlertsPanel</name>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>条件</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>新建…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Re-arm</source>
        <translation>重新启用</translation>
    </message>
    <message>
        <source>Fired alerts, newest first</source>
        <translation>已触发的预警，最新在前</translation>
    </message>
    <message>
        <source>Fired alerts, newest first (kept across restarts)</source>
        <translation>已触发的预警，最新在前（重启后保留）</translation>
    </message>
    <message>
        <source>Fired alerts</source>
        <translation>已触发的预警</translation>
    </message>
    <message>
        <source>Alert rules</source>
        <translation>预警规则</translation>
    </message>
    <message>
        <source>Double-click a rule to edit it</source>
        <translation>双击规则即可编辑</translation>
    </message>
    <message>
        <source>armed, repeats</source>
        <translation>已启用，可重复</translation>
    </message>
    <message>
        <source>armed</source>
        <translation>已启用</translation>
    </message>
    <message>
        <source>waiting to re-arm</source>
        <translation>等待重新启用</translation>
    </message>
    <message>
        <source>fired</source>
        <translation>已触发</translation>
    </message>
    <message>
        <source>Alert not set</source>
        <translation>预警未设置</translation>
    </message>
    <message>
        <source>Alert not changed</source>
        <translation>预警未修改</translation>
    </message>
</context>
<context>
    <name>Appearance</name>
    <message>
        <source>The Chinese translation is missing</source>
        <translation>缺少中文翻译文件</translation>
    </message>
</context>
<context>
    <name>BreadthBar</name>
    <message>
        <source>Indices and market breadth</source>
        <translation>指数与涨跌家数</translation>
    </message>
    <message>
        <source>Main indices, up and down counts, limit counts and turnover; click an index to chart it</source>
        <translation>主要指数、涨跌家数、涨跌停家数和成交额；点击指数查看分时图</translation>
    </message>
    <message>
        <source>Click to chart %1</source>
        <translation>点击查看 %1 分时图</translation>
    </message>
    <message>
        <source>SSE Composite</source>
        <translation>上证指数</translation>
    </message>
    <message>
        <source>SZSE Component</source>
        <translation>深证成指</translation>
    </message>
    <message>
        <source>ChiNext</source>
        <translation>创业板指</translation>
    </message>
    <message>
        <source>STAR 50</source>
        <translation>科创50</translation>
    </message>
    <message>
        <source>BSE 50</source>
        <translation>北证50</translation>
    </message>
    <message>
        <source>Holdings</source>
        <translation>持仓</translation>
    </message>
    <message>
        <source>P&amp;L</source>
        <translation>盈亏</translation>
    </message>
    <message>
        <source>today</source>
        <translation>今日</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>涨</translation>
    </message>
    <message>
        <source>Flat</source>
        <translation>平</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>跌</translation>
    </message>
    <message>
        <source>Limit-up</source>
        <translation>涨停</translation>
    </message>
    <message>
        <source>Limit-down</source>
        <translation>跌停</translation>
    </message>
    <message>
        <source>Turnover</source>
        <translation>成交额</translation>
    </message>
    <message>
        <source>not live</source>
        <translation>非实时</translation>
    </message>
    <message>
        <source>%1 not yet priced</source>
        <translation>%1 只尚无报价</translation>
    </message>
</context>
<context>
    <name>Columns</name>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Last</source>
        <translation>最新</translation>
    </message>
    <message>
        <source>Chg</source>
        <translation>涨跌</translation>
    </message>
    <message>
        <source>Chg %</source>
        <translation>涨跌幅</translation>
    </message>
    <message>
        <source>Intraday</source>
        <translation>分时</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>开盘</translation>
    </message>
    <message>
        <source>High</source>
        <translation>最高</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>最低</translation>
    </message>
    <message>
        <source>Prev close</source>
        <translation>昨收</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>成交量</translation>
    </message>
    <message>
        <source>Turnover</source>
        <translation>成交额</translation>
    </message>
    <message>
        <source>Limit up</source>
        <translation>涨停价</translation>
    </message>
    <message>
        <source>Limit down</source>
        <translation>跌停价</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
</context>
<context>
    <name>Commands</name>
    <message>
        <source>About A-Share Monitor</source>
        <translation>关于 A股行情监控</translation>
    </message>
    <message>
        <source>A-Share Monitor %1
Real-time China A-share quotes over batch-subscribed WebSockets.</source>
        <translation>A股行情监控 %1
通过 WebSocket 批量订阅实时推送A股行情。</translation>
    </message>
    <message>
        <source>Not added: </source>
        <translation>未添加：</translation>
    </message>
    <message numerus="yes">
        <source>Added %n symbol(s) to “%1”.</source>
        <translation>
            <numerusform>已添加 %n 只股票到“%1”。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n already in the list or repeated.</source>
        <translation>
            <numerusform>%n 只已在列表中或重复。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Rejected %n:</source>
        <translation>
            <numerusform>拒绝 %n 个：</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 more kinds of problem</source>
        <translation>另有 %1 类问题</translation>
    </message>
    <message>
        <source>Clear the sort and the filter to reorder the list by dragging</source>
        <translation>清除排序和筛选后才能拖动调整顺序</translation>
    </message>
    <message>
        <source>Reorder list</source>
        <translation>调整顺序</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>New list</source>
        <translation>新建自选</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Rename list</source>
        <translation>重命名自选</translation>
    </message>
    <message>
        <source>Record ticks</source>
        <translation>录制逐笔行情</translation>
    </message>
    <message>
        <source>Open recorded day</source>
        <translation>打开录制的行情</translation>
    </message>
    <message>
        <source>Recorded ticks (*.sqlite);;All files (*)</source>
        <translation>录制的逐笔行情 (*.sqlite);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Jump to a time</source>
        <translation>跳转到时间</translation>
    </message>
    <message>
        <source>Time of the recorded day (HH:MM:SS):</source>
        <translation>录制当天的时间（时:分:秒）：</translation>
    </message>
    <message>
        <source>Not a time: %1 (use HH:MM:SS)</source>
        <translation>不是时间：%1（请用 时:分:秒）</translation>
    </message>
    <message>
        <source>Back to the live feed</source>
        <translation>回到实时行情</translation>
    </message>
</context>
<context>
    <name>DetailChart</name>
    <message>
        <source>Intraday chart</source>
        <translation>分时图</translation>
    </message>
    <message>
        <source>Price, average price and volume of the selected symbol today</source>
        <translation>所选股票今日的价格、均价和成交量</translation>
    </message>
    <message>
        <source>Waiting for the first trade</source>
        <translation>等待第一笔成交</translation>
    </message>
    <message>
        <source>average price from %1 (trades seen)</source>
        <translation>均价自 %1 起（按已收到的成交）</translation>
    </message>
    <message>
        <source>outside trading hours: clock time</source>
        <translation>非交易时段：按时钟时间</translation>
    </message>
    <message>
        <source>{time}  price {price} {pct}  avg {avg}  vol {vol}</source>
        <translation>{time}  价 {price} {pct}  均 {avg}  量 {vol}</translation>
    </message>
    <message>
        <source>Select a row to chart it</source>
        <translation>选择一行查看分时图</translation>
    </message>
</context>
<context>
    <name>DetailTabs</name>
    <message>
        <source>Chart</source>
        <translation>分时图</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>预警</translation>
    </message>
    <message>
        <source>Holdings</source>
        <translation>持仓</translation>
    </message>
    <message>
        <source>K-line</source>
        <translation>K线</translation>
    </message>
    <message>
        <source>Chart and alerts</source>
        <translation>图表与预警</translation>
    </message>
</context>
<context>
    <name>EntryBar</name>
    <message>
        <source>Filter code or name</source>
        <translation>按代码或名称筛选</translation>
    </message>
    <message>
        <source>Add code or name (Enter)</source>
        <translation>添加代码或名称（回车）</translation>
    </message>
    <message>
        <source>Paste codes…</source>
        <translation>粘贴代码…</translation>
    </message>
    <message>
        <source>SIMULATED DATA</source>
        <translation>模拟数据</translation>
    </message>
    <message>
        <source>Quotes come from the embedded simulator, not a market feed</source>
        <translation>行情来自内置模拟器，并非真实市场数据</translation>
    </message>
    <message>
        <source>Filter the table</source>
        <translation>筛选表格</translation>
    </message>
    <message>
        <source>Shows only rows whose code, name or pinyin initials match</source>
        <translation>只显示代码、名称或拼音首字母匹配的行</translation>
    </message>
    <message>
        <source>Add a code or name</source>
        <translation>添加代码或名称</translation>
    </message>
    <message>
        <source>Type a code, name or pinyin initials and press Enter</source>
        <translation>输入代码、名称或拼音首字母后按回车</translation>
    </message>
    <message>
        <source>Paste codes</source>
        <translation>粘贴代码</translation>
    </message>
    <message>
        <source>Add a block of codes at once</source>
        <translation>一次添加一批代码</translation>
    </message>
    <message>
        <source>Simulated data</source>
        <translation>模拟数据</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>A-Share Monitor: something went wrong</source>
        <translation>A股行情监控：出错了</translation>
    </message>
    <message>
        <source>The app keeps running. Log file: %s</source>
        <translation>程序仍在运行。日志文件：%s</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>复制详情</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>a change % threshold must be between -100 and 100</source>
        <translation>涨跌幅阈值须在 -100 到 100 之间</translation>
    </message>
    <message>
        <source>an index, not a stock: it cannot be held</source>
        <translation>这是指数，不是股票，不能持有</translation>
    </message>
    <message>
        <source>quantity must be a number of shares: {0}</source>
        <translation>数量必须是股数：{0}</translation>
    </message>
    <message>
        <source>quantity must be a whole number of shares above 0: {0}</source>
        <translation>数量必须是大于 0 的整数股：{0}</translation>
    </message>
    <message>
        <source>cost must be a price: {0}</source>
        <translation>成本必须是价格：{0}</translation>
    </message>
    <message>
        <source>cost must be a price above 0: {0}</source>
        <translation>成本必须是大于 0 的价格：{0}</translation>
    </message>
    <message>
        <source>quantity and cost must be numbers</source>
        <translation>数量和成本必须是数字</translation>
    </message>
    <message>
        <source>the file is empty</source>
        <translation>文件为空</translation>
    </message>
    <message>
        <source>the first line must name the columns code, quantity and cost; missing: {0}</source>
        <translation>第一行须列出 代码、数量、成本 三列；缺少：{0}</translation>
    </message>
    <message>
        <source>no holding could be read: {0}</source>
        <translation>未能读取任何持仓：{0}</translation>
    </message>
    <message>
        <source>not a CSV file: {0}</source>
        <translation>不是 CSV 文件：{0}</translation>
    </message>
    <message>
        <source>the file is larger than {0} MB</source>
        <translation>文件大于 {0} MB</translation>
    </message>
    <message>
        <source>too few columns</source>
        <translation>列数不足</translation>
    </message>
    <message>
        <source>{0} needs a threshold</source>
        <translation>{0} 需要设置阈值</translation>
    </message>
    <message>
        <source>a price threshold must be above 0</source>
        <translation>价格阈值必须大于 0</translation>
    </message>
    <message>
        <source>hysteresis must be between 0 and 20</source>
        <translation>回落幅度必须在 0 到 20 之间</translation>
    </message>
    <message>
        <source>provider must be one of {0}</source>
        <translation>行情源必须是以下之一：{0}</translation>
    </message>
    <message>
        <source>plan must be one of {0}</source>
        <translation>套餐必须是以下之一：{0}</translation>
    </message>
    <message>
        <source>codes per connection must be between 1 and 100000</source>
        <translation>每个连接的代码数必须在 1 到 100000 之间</translation>
    </message>
    <message>
        <source>refresh rate must be between 5 and 30 per second</source>
        <translation>刷新频率必须在每秒 5 到 30 次之间</translation>
    </message>
    <message>
        <source>language must be auto, zh or en</source>
        <translation>语言必须是 auto、zh 或 en</translation>
    </message>
    <message>
        <source>theme must be auto, light or dark</source>
        <translation>主题必须是 auto、light 或 dark</translation>
    </message>
    <message>
        <source>alert sound must be a .wav file: {0}</source>
        <translation>预警声音必须是 .wav 文件：{0}</translation>
    </message>
    <message>
        <source>alert sound file not found: {0}</source>
        <translation>找不到预警声音文件：{0}</translation>
    </message>
    <message>
        <source>stale after must be between 5 and 3600 seconds</source>
        <translation>过期时间必须在 5 到 3600 秒之间</translation>
    </message>
    <message>
        <source>CA file not found: {0}</source>
        <translation>找不到 CA 证书文件：{0}</translation>
    </message>
    <message>
        <source>{0} must be text, at most {1} characters</source>
        <translation>{0} 必须是文本，最多 {1} 个字符</translation>
    </message>
    <message>
        <source>{0} must be true or false</source>
        <translation>{0} 必须是 true 或 false</translation>
    </message>
    <message>
        <source>{0} must be a whole number</source>
        <translation>{0} 必须是整数</translation>
    </message>
    <message>
        <source>{0} must be a finite number</source>
        <translation>{0} 必须是有限的数字</translation>
    </message>
    <message>
        <source>{0} must be between {1} and {2}</source>
        <translation>{0} 必须在 {1} 到 {2} 之间</translation>
    </message>
    <message>
        <source>{0} must be an object of plain values</source>
        <translation>{0} 必须是只含简单值的对象</translation>
    </message>
    <message>
        <source>{0} must start with ws:// or wss://</source>
        <translation>{0} 必须以 ws:// 或 wss:// 开头</translation>
    </message>
    <message>
        <source>{0} has no host</source>
        <translation>{0} 缺少主机名</translation>
    </message>
    <message>
        <source>{0} has an invalid port: {1}</source>
        <translation>{0} 的端口无效：{1}</translation>
    </message>
    <message>
        <source>not text</source>
        <translation>不是文本</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>为空</translation>
    </message>
    <message>
        <source>A-share codes have 6 digits, this has {0}</source>
        <translation>A股代码为 6 位数字，这里有 {0} 位</translation>
    </message>
    <message>
        <source>not an A-share code (expected e.g. 600519, 600519.SH, sh600519)</source>
        <translation>不是A股代码（应为 600519、600519.SH、sh600519 等形式）</translation>
    </message>
    <message>
        <source>an SSE B-share (USD), not an A-share</source>
        <translation>上交所B股（美元），不是A股</translation>
    </message>
    <message>
        <source>an SZSE B-share (HKD), not an A-share</source>
        <translation>深交所B股（港币），不是A股</translation>
    </message>
    <message>
        <source>old BSE code: BSE stocks moved to 920xxx on 2025-10-09</source>
        <translation>北交所旧代码：北交所股票已于 2025-10-09 改为 920xxx</translation>
    </message>
    <message>
        <source>no A-share board uses the prefix {0}</source>
        <translation>没有A股板块使用前缀 {0}</translation>
    </message>
    <message>
        <source>{0}xxx codes are not listed on {1}</source>
        <translation>{0}xxx 代码不在 {1} 上市</translation>
    </message>
    <message>
        <source>not a canonical symbol (use normalize first)</source>
        <translation>不是规范代码（请先规范化）</translation>
    </message>
    <message>
        <source>over {0} entries</source>
        <translation>超过 {0} 条</translation>
    </message>
    <message>
        <source>a list needs a name</source>
        <translation>自选需要名称</translation>
    </message>
    <message>
        <source>list names are at most {0} characters</source>
        <translation>自选名称最多 {0} 个字符</translation>
    </message>
    <message>
        <source>a list named “{0}” already exists</source>
        <translation>已有名为“{0}”的自选</translation>
    </message>
    <message>
        <source>the last list cannot be deleted</source>
        <translation>不能删除最后一个自选</translation>
    </message>
    <message>
        <source>{0}: {1} KiB is too large for a watchlist</source>
        <translation>{0}：{1} KiB，作为自选文件太大</translation>
    </message>
    <message>
        <source>cannot read {0}: {1}</source>
        <translation>无法读取 {0}：{1}</translation>
    </message>
    <message>
        <source>{0}: not a text file</source>
        <translation>{0}：不是文本文件</translation>
    </message>
    <message>
        <source>{0}: not UTF-8 or GBK text</source>
        <translation>{0}：不是 UTF-8 或 GBK 文本</translation>
    </message>
    <message>
        <source>matches {0} names</source>
        <translation>匹配到 {0} 个名称</translation>
    </message>
    <message>
        <source>not in the symbol list (not listed, or delisted)</source>
        <translation>不在代码表中（未上市或已退市）</translation>
    </message>
    <message>
        <source>delisted: no longer in its exchange&apos;s listing (found on {0})</source>
        <translation>已退市：交易所列表中已无此股票（{0} 发现）</translation>
    </message>
    <message>
        <source>{0} must give sse, szse or bse an http:// or https:// address</source>
        <translation>{0} 只能为 sse、szse 或 bse 指定 http:// 或 https:// 地址</translation>
    </message>
</context>
<context>
    <name>FileActions</name>
    <message>
        <source>Export snapshot</source>
        <translation>导出快照</translation>
    </message>
    <message>
        <source>Exported %d rows to %s</source>
        <translation>已导出 %d 行到 %s</translation>
    </message>
    <message>
        <source>Export list</source>
        <translation>导出自选</translation>
    </message>
    <message>
        <source>Import list</source>
        <translation>导入自选</translation>
    </message>
    <message>
        <source>No valid codes in %s</source>
        <translation>%s 中没有有效代码</translation>
    </message>
    <message>
        <source>Imported %d codes; skipped %d:
</source>
        <translation>已导入 %d 个代码；跳过 %d 个：
</translation>
    </message>
    <message>
        <source>Import symbol list</source>
        <translation>导入代码表</translation>
    </message>
    <message>
        <source>Symbol list: %1 codes from %2 merged into the listing</source>
        <translation>代码表：已从 %2 合并 %1 个代码</translation>
    </message>
    <message>
        <source>%1 lines skipped</source>
        <translation>跳过 %1 行</translation>
    </message>
</context>
<context>
    <name>FloatingTicker</name>
    <message>
        <source>Floating ticker</source>
        <translation>悬浮窗</translation>
    </message>
    <message>
        <source>Last price and change of the chosen list; drag to move, right-click for options</source>
        <translation>所选自选的最新价和涨跌幅；拖动可移动，右键打开选项</translation>
    </message>
    <message>
        <source>List</source>
        <translation>选择自选列表</translation>
    </message>
    <message>
        <source>Vertical</source>
        <translation>竖排</translation>
    </message>
    <message>
        <source>Click-through (ignore the mouse)</source>
        <translation>鼠标穿透（不响应鼠标）</translation>
    </message>
    <message>
        <source>Opacity</source>
        <translation>不透明度</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>HoldingDialog</name>
    <message>
        <source>Holding</source>
        <translation>持仓</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source> shares</source>
        <translation> 股</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Average cost</source>
        <translation>成本价</translation>
    </message>
</context>
<context>
    <name>HoldingsPanel</name>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>成本</translation>
    </message>
    <message>
        <source>Last</source>
        <translation>最新</translation>
    </message>
    <message>
        <source>Market value</source>
        <translation>市值</translation>
    </message>
    <message>
        <source>P&amp;L</source>
        <translation>盈亏</translation>
    </message>
    <message>
        <source>P&amp;L %</source>
        <translation>盈亏%</translation>
    </message>
    <message>
        <source>Today&apos;s P&amp;L</source>
        <translation>今日盈亏</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Import CSV…</source>
        <translation>导入 CSV…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>No holdings yet. Right-click a row of the quotes table › Set holding…, Add… here, or Import CSV… from your broker&apos;s export.</source>
        <translation>还没有持仓。在行情表中右键某行 › 设置持仓…，或点这里的“添加…”，或从券商导出的文件“导入 CSV…”。</translation>
    </message>
    <message>
        <source>Holdings</source>
        <translation>持仓</translation>
    </message>
    <message>
        <source>Shares held, their cost and what they are worth at the current price</source>
        <translation>持有的股数、成本及按当前价计算的市值</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Total (%1 without a current price)</source>
        <translation>合计（%1 只无当前价，未计入）</translation>
    </message>
    <message>
        <source>(today&apos;s P&amp;L without %1: no previous close)</source>
        <translation>（今日盈亏未计 %1 只：无昨收）</translation>
    </message>
    <message>
        <source>(not current)</source>
        <translation>（非实时）</translation>
    </message>
    <message>
        <source>Removed holding: %1</source>
        <translation>已删除持仓：%1</translation>
    </message>
    <message>
        <source>Import holdings</source>
        <translation>导入持仓</translation>
    </message>
    <message>
        <source>Imported %1 holdings from %2</source>
        <translation>已从 %2 导入 %1 条持仓</translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>第 %1 行：%2</translation>
    </message>
    <message>
        <source>Export holdings</source>
        <translation>导出持仓</translation>
    </message>
    <message>
        <source>Exported %1 holdings to %2</source>
        <translation>已导出 %1 条持仓到 %2</translation>
    </message>
</context>
<context>
    <name>KLineChart</name>
    <message>
        <source>Daily</source>
        <translation>日K</translation>
    </message>
    <message>
        <source>Weekly</source>
        <translation>周K</translation>
    </message>
    <message>
        <source>Monthly</source>
        <translation>月K</translation>
    </message>
    <message>
        <source>K-line chart</source>
        <translation>K线图</translation>
    </message>
    <message>
        <source>Candles with volume and 5, 10 and 20-period moving averages</source>
        <translation>K线、成交量及 5、10、20 周期均线</translation>
    </message>
    <message>
        <source>Select a row to see its K-lines</source>
        <translation>选择一行查看其K线</translation>
    </message>
    <message>
        <source>No K-line from this provider</source>
        <translation>此行情源不提供K线</translation>
    </message>
    <message>
        <source>Loading K-lines…</source>
        <translation>正在加载K线…</translation>
    </message>
    <message>
        <source>No K-lines for %1 from this provider</source>
        <translation>此行情源没有 %1 的K线</translation>
    </message>
    <message>
        <source>K-lines unavailable: %1</source>
        <translation>K线暂不可用：%1</translation>
    </message>
    <message>
        <source>not live: bars as of %1</source>
        <translation>非实时：K线截至 %1</translation>
    </message>
</context>
<context>
    <name>ListingDialog</name>
    <message>
        <source>Listing refreshed from the exchanges: %1 new, %2 delisted, %3 renamed</source>
        <translation>已从交易所更新股票列表：新上市 %1，退市 %2，更名 %3</translation>
    </message>
    <message>
        <source>Refreshing from the exchanges is off (Settings).</source>
        <translation>已关闭从交易所更新（见设置）。</translation>
    </message>
    <message>
        <source>Turned off in Settings</source>
        <translation>已在设置中关闭</translation>
    </message>
    <message>
        <source>listed %1</source>
        <translation>%1 上市</translation>
    </message>
    <message>
        <source>found %1</source>
        <translation>%1 发现</translation>
    </message>
    <message>
        <source>Last changes found, on %1 (against the listing of %2):</source>
        <translation>最近一次发现的变动（%1，与 %2 的列表相比）：</translation>
    </message>
    <message>
        <source>Listing not refreshed: %1</source>
        <translation>股票列表未更新：%1</translation>
    </message>
    <message>
        <source>A-share listing</source>
        <translation>A 股列表</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>the refreshed listing could not be saved</source>
        <translation>更新后的列表无法保存</translation>
    </message>
    <message>
        <source>Listing refreshed from the exchanges: no new listings or delistings</source>
        <translation>已从交易所更新股票列表：没有新上市或退市</translation>
    </message>
    <message>
        <source>Listing not refreshed: the exchanges cannot be reached; the listing as of %1 stays in use</source>
        <translation>股票列表未更新：无法连接交易所，继续使用 %1 的列表</translation>
    </message>
    <message>
        <source>Listing changes</source>
        <translation>列表变动</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变动</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Double-click a new listing, or press Enter on it, to add it to the current list.</source>
        <translation>双击新上市股票（或选中后按回车）可将其加入当前列表。</translation>
    </message>
    <message>
        <source>Refresh from the exchanges now</source>
        <translation>立即从交易所更新</translation>
    </message>
    <message>
        <source>Import symbol list (CSV)…</source>
        <translation>导入代码表（CSV）…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>A-share listing as of %1 · %2 stocks</source>
        <translation>A 股列表（截至 %1）· %2 只股票</translation>
    </message>
    <message>
        <source>From the exchanges (asked: %1).</source>
        <translation>来自交易所（获取于：%1）。</translation>
    </message>
    <message>
        <source>%1: the shipped snapshot of %2.</source>
        <translation>%1：随软件附带的 %2 快照。</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>The snapshot shipped with the app, as of %1.</source>
        <translation>随软件附带的快照，截至 %1。</translation>
    </message>
    <message>
        <source>Refreshed from the exchanges at most once a day.</source>
        <translation>每天最多从交易所更新一次。</translation>
    </message>
    <message>
        <source>New listing</source>
        <translation>新上市</translation>
    </message>
    <message>
        <source>Added (listed earlier)</source>
        <translation>补入（此前已上市）</translation>
    </message>
    <message>
        <source>Delisted</source>
        <translation>退市</translation>
    </message>
    <message>
        <source>Renamed (was %1)</source>
        <translation>更名（原 %1）</translation>
    </message>
    <message>
        <source>No changes found yet.</source>
        <translation>尚未发现变动。</translation>
    </message>
    <message>
        <source>SSE</source>
        <translation>上交所</translation>
    </message>
    <message>
        <source>SZSE</source>
        <translation>深交所</translation>
    </message>
    <message>
        <source>BSE</source>
        <translation>北交所</translation>
    </message>
    <message>
        <source>%1 cannot be reached</source>
        <translation>无法连接%1</translation>
    </message>
    <message>
        <source>%1 answered with something that is not its listing</source>
        <translation>%1返回的不是股票列表</translation>
    </message>
    <message>
        <source>%1&apos;s answer is incomplete; its previous list is kept</source>
        <translation>%1返回的列表不完整，保留原列表</translation>
    </message>
    <message>
        <source>a refresh is already running</source>
        <translation>已有一次更新正在进行</translation>
    </message>
    <message>
        <source>the refresh stopped</source>
        <translation>更新中途停止</translation>
    </message>
    <message>
        <source>Asking the exchanges…</source>
        <translation>正在向交易所获取…</translation>
    </message>
</context>
<context>
    <name>ListsPanel</name>
    <message>
        <source>All market</source>
        <translation>全部A股</translation>
    </message>
    <message>
        <source>Watchlist</source>
        <translation>自选</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Monitor</source>
        <translation>监控</translation>
    </message>
    <message>
        <source>A-Share Monitor</source>
        <translation>A股行情监控</translation>
    </message>
    <message>
        <source>Some saved settings could not be used</source>
        <translation>部分已保存的设置无法使用</translation>
    </message>
    <message>
        <source>Could not start the feed</source>
        <translation>无法启动行情连接</translation>
    </message>
    <message>
        <source>Lists</source>
        <translation>列表</translation>
    </message>
    <message>
        <source>The whole market and your watchlists</source>
        <translation>全部市场与您的自选列表</translation>
    </message>
    <message numerus="yes">
        <source>%1  (%n more in the Alerts tab)</source>
        <translation>
            <numerusform>%1（另有 %n 条，见“预警”页）</numerusform>
        </translation>
    </message>
    <message>
        <source>Set holding…</source>
        <translation>设置持仓…</translation>
    </message>
    <message>
        <source>Remove holding</source>
        <translation>删除持仓</translation>
    </message>
    <message>
        <source>the system keyring</source>
        <translation>系统钥匙串</translation>
    </message>
    <message>
        <source>%1 (readable only by you)</source>
        <translation>%1（仅本人可读）</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Alert set: %1 %2</source>
        <translation>已设置预警：%1 %2</translation>
    </message>
    <message>
        <source>Alert: %1</source>
        <translation>预警：%1</translation>
    </message>
    <message>
        <source>An alert fired; it is in the Alerts tab.</source>
        <translation>有预警触发，详见“预警”页。</translation>
    </message>
    <message>
        <source>Add to list</source>
        <translation>加入自选</translation>
    </message>
</context>
<context>
    <name>OrderBookPanel</name>
    <message>
        <source>1 2 3 4 5</source>
        <comment>order book levels</comment>
        <translation>一 二 三 四 五</translation>
    </message>
    <message>
        <source>Ask %1</source>
        <translation>卖%1</translation>
    </message>
    <message>
        <source>Bid %1</source>
        <translation>买%1</translation>
    </message>
    <message>
        <source>Order book</source>
        <translation>五档盘口</translation>
    </message>
    <message>
        <source>Five bid and ask levels of the selected symbol</source>
        <translation>所选股票的五档买卖盘</translation>
    </message>
    <message>
        <source>Select a row to see its order book</source>
        <translation>选择一行查看其五档盘口</translation>
    </message>
    <message>
        <source>An index has no order book</source>
        <translation>指数没有盘口</translation>
    </message>
    <message>
        <source>Waiting for the order book…</source>
        <translation>等待盘口数据…</translation>
    </message>
    <message>
        <source>No order book from this provider</source>
        <translation>此行情源不提供盘口</translation>
    </message>
    <message>
        <source>Not current: last order book %1 s ago</source>
        <translation>非实时：最后盘口为 %1 秒前</translation>
    </message>
    <message>
        <source>Spread %1</source>
        <translation>价差 %1</translation>
    </message>
    <message>
        <source>No sellers (limit-up)</source>
        <translation>无卖盘（涨停）</translation>
    </message>
    <message>
        <source>No buyers (limit-down)</source>
        <translation>无买盘（跌停）</translation>
    </message>
</context>
<context>
    <name>PasteDialog</name>
    <message>
        <source>Add codes to “%s”</source>
        <translation>添加代码到“%s”</translation>
    </message>
    <message>
        <source>Paste codes in any form (600519, sh600519, 600519.SH), one per line, comma- or space-separated, or a JSON array.</source>
        <translation>粘贴任意格式的代码（600519、sh600519、600519.SH），每行一个，或用逗号、空格分隔，或 JSON 数组。</translation>
    </message>
    <message>
        <source>Codes to add</source>
        <translation>要添加的代码</translation>
    </message>
    <message>
        <source>One per line, comma- or space-separated, or a JSON array</source>
        <translation>每行一个，以逗号或空格分隔，或 JSON 数组</translation>
    </message>
</context>
<context>
    <name>QuickSearch</name>
    <message>
        <source>Code, name or pinyin initials</source>
        <translation>代码 / 名称 / 拼音首字母</translation>
    </message>
    <message>
        <source>Quick search</source>
        <translation>键盘精灵</translation>
    </message>
    <message>
        <source>Type a code, name or pinyin initials; Enter picks, Esc closes</source>
        <translation>输入代码、名称或拼音首字母；回车选定，Esc 关闭</translation>
    </message>
    <message>
        <source>Quick search results</source>
        <translation>键盘精灵结果</translation>
    </message>
    <message>
        <source>(the symbol list is still loading)</source>
        <translation>（代码表仍在加载）</translation>
    </message>
</context>
<context>
    <name>QuoteTableModel</name>
    <message>
        <source>Volume (lots)</source>
        <translation>成交量(手)</translation>
    </message>
    <message>
        <source>Volume (shares)</source>
        <translation>成交量(股)</translation>
    </message>
    <message>
        <source>[delisted] %1</source>
        <translation>退市 %1</translation>
    </message>
    <message>
        <source>[not served] %1</source>
        <translation>[不提供] %1</translation>
    </message>
    <message>
        <source>Main board</source>
        <translation>主板</translation>
    </message>
    <message>
        <source>ChiNext</source>
        <translation>创业板</translation>
    </message>
    <message>
        <source>STAR Market</source>
        <translation>科创板</translation>
    </message>
    <message>
        <source>Beijing Stock Exchange</source>
        <translation>北交所</translation>
    </message>
    <message>
        <source>Fund</source>
        <translation>基金</translation>
    </message>
    <message>
        <source>Index</source>
        <translation>指数</translation>
    </message>
    <message>
        <source>Delisted: its exchange no longer lists it (since %1); not subscribed</source>
        <translation>已退市：交易所已不再列出（自 %1 起）；不再订阅</translation>
    </message>
    <message>
        <source>Not served by this provider: it refused the code, so it is not subscribed</source>
        <translation>行情源不提供此代码（被拒绝），未订阅</translation>
    </message>
    <message>
        <source>At limit-up</source>
        <translation>涨停</translation>
    </message>
    <message>
        <source>At limit-down</source>
        <translation>跌停</translation>
    </message>
</context>
<context>
    <name>QuotesPane</name>
    <message>
        <source>This list is empty.
Type a code or name above, or paste a block of codes.</source>
        <translation>列表为空。
在上方输入代码或名称，或粘贴一组代码。</translation>
    </message>
    <message>
        <source>Quotes</source>
        <translation>行情</translation>
    </message>
    <message>
        <source>Live quotes; type to search, Delete removes, Ctrl+Up/Down reorders</source>
        <translation>实时行情；直接输入即可搜索，Delete 删除，Ctrl+上/下 调整顺序</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>预警</translation>
    </message>
    <message>
        <source>Close the alert notice</source>
        <translation>关闭预警提示</translation>
    </message>
    <message>
        <source>No symbol matches “%1”</source>
        <translation>没有与“%1”匹配的股票</translation>
    </message>
    <message>
        <source>Volume in lots (手, 100 shares)</source>
        <translation>成交量以手为单位（1 手 = 100 股）</translation>
    </message>
    <message>
        <source>Volume in shares</source>
        <translation>成交量以股为单位</translation>
    </message>
</context>
<context>
    <name>Reasons</name>
    <message>
        <source>server closed the connection</source>
        <translation>服务器关闭了连接</translation>
    </message>
    <message>
        <source>server closed the connection (code {0}{1})</source>
        <translation>服务器关闭了连接（代码 {0}{1}）</translation>
    </message>
    <message>
        <source>handshake refused: HTTP {0} (check the token)</source>
        <translation>握手被拒绝：HTTP {0}（请检查令牌）</translation>
    </message>
    <message>
        <source>handshake refused: HTTP {0}</source>
        <translation>握手被拒绝：HTTP {0}</translation>
    </message>
    <message>
        <source>invalid URL: {0}</source>
        <translation>地址无效：{0}</translation>
    </message>
    <message>
        <source>certificate verification failed: {0}</source>
        <translation>证书验证失败：{0}</translation>
    </message>
    <message>
        <source>provider refused: {0}</source>
        <translation>行情源拒绝：{0}</translation>
    </message>
    <message>
        <source>no reply for {0} s (heartbeat timeout)</source>
        <translation>{0} 秒无响应（心跳超时）</translation>
    </message>
    <message>
        <source>connection closed (code {0}{1})</source>
        <translation>连接已关闭（代码 {0}{1}）</translation>
    </message>
    <message>
        <source>connection closed by the client (code {0}{1})</source>
        <translation>连接被客户端关闭（代码 {0}{1}）</translation>
    </message>
    <message>
        <source>connection lost (no close frame)</source>
        <translation>连接中断（无关闭帧）</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>connection refused</source>
        <translation>连接被拒绝</translation>
    </message>
    <message>
        <source>handshake failed: {0}</source>
        <translation>握手失败：{0}</translation>
    </message>
    <message>
        <source>network error: {0}</source>
        <translation>网络错误：{0}</translation>
    </message>
    <message>
        <source>{0}: {1}</source>
        <translation>{0}：{1}</translation>
    </message>
    <message>
        <source>cut by the provider (code 1008{0}): more connections than the plan allows? Another app or device may be using this token</source>
        <translation>被数据源断开（代码 1008{0}）：连接数超过套餐上限？可能有其他程序或设备在使用此令牌</translation>
    </message>
    <message>
        <source>receiving but not updating: duplicate or older sequence numbers</source>
        <translation>在接收但未更新：序号重复或更旧</translation>
    </message>
    <message>
        <source>receiving but not updating: ticks older than the last price</source>
        <translation>在接收但未更新：成交时间早于最新价</translation>
    </message>
    <message>
        <source>receiving but not updating: impossible prices</source>
        <translation>在接收但未更新：价格不可能</translation>
    </message>
    <message>
        <source>receiving but not updating: impossible tick times (clock or unit)</source>
        <translation>在接收但未更新：成交时间不可能（时钟或单位错误）</translation>
    </message>
    <message>
        <source>receiving but not updating: codes that were not subscribed</source>
        <translation>在接收但未更新：代码未订阅</translation>
    </message>
    <message>
        <source>receiving but not updating: every frame refused ({0})</source>
        <translation>在接收但未更新：所有消息均被拒绝（{0}）</translation>
    </message>
    <message>
        <source>symbol list unavailable: {0}</source>
        <translation>代码表不可用：{0}</translation>
    </message>
    <message>
        <source>previous close unavailable: {0}</source>
        <translation>昨收价不可用：{0}</translation>
    </message>
    <message>
        <source>no symbol list from this provider</source>
        <translation>此数据源不提供代码表</translation>
    </message>
    <message>
        <source>no previous close from this provider</source>
        <translation>此数据源不提供昨收价</translation>
    </message>
    <message>
        <source>no previous close for {0} symbols (no daily K-line before today)</source>
        <translation>{0} 只股票没有昨收价（今天之前没有日K线）</translation>
    </message>
    <message>
        <source>not served by this provider: {0} codes ({1})</source>
        <translation>行情源不提供 {0} 个代码（{1}）</translation>
    </message>
    <message>
        <source>the provider refused a code: finding which ({0} of {1} priced so far)</source>
        <translation>行情源拒绝了某个代码：正在查找（已有 {0}/{1} 个有报价）</translation>
    </message>
</context>
<context>
    <name>ReportBanner</name>
    <message>
        <source>Close (Esc)</source>
        <translation>关闭（Esc）</translation>
    </message>
    <message>
        <source>Close the report</source>
        <translation>关闭报告</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>报告</translation>
    </message>
</context>
<context>
    <name>Saving</name>
    <message>
        <source>Watchlists not saved</source>
        <translation>自选未保存</translation>
    </message>
    <message>
        <source>Alerts not saved</source>
        <translation>预警未保存</translation>
    </message>
    <message>
        <source>Settings not saved</source>
        <translation>设置未保存</translation>
    </message>
    <message>
        <source>Alert log not saved</source>
        <translation>预警记录未保存</translation>
    </message>
    <message>
        <source>Holdings not saved</source>
        <translation>持仓未保存</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>Pre-open</source>
        <translation>盘前</translation>
    </message>
    <message>
        <source>Opening auction</source>
        <translation>开盘集合竞价</translation>
    </message>
    <message>
        <source>Auction done</source>
        <translation>竞价结束</translation>
    </message>
    <message>
        <source>Trading</source>
        <translation>连续竞价</translation>
    </message>
    <message>
        <source>Lunch break</source>
        <translation>午间休市</translation>
    </message>
    <message>
        <source>Closing auction</source>
        <translation>收盘集合竞价</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已收盘</translation>
    </message>
    <message>
        <source>Closed (holiday)</source>
        <translation>休市（节假日）</translation>
    </message>
    <message>
        <source>Market: %1</source>
        <translation>市场：%1</translation>
    </message>
    <message>
        <source>next open %1</source>
        <translation>下次开盘 %1</translation>
    </message>
    <message>
        <source>(holiday data ended; weekdays assumed)</source>
        <translation>（节假日数据已到期，按工作日计）</translation>
    </message>
    <message>
        <source>(holiday dates estimated)</source>
        <translation>（休市日期为推算）</translation>
    </message>
    <message>
        <source>(simulator: always open)</source>
        <translation>（模拟行情全天开放）</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Free</source>
        <translation>免费版</translation>
    </message>
    <message>
        <source>Basic</source>
        <translation>基础版</translation>
    </message>
    <message>
        <source>Premium</source>
        <translation>高级版</translation>
    </message>
    <message>
        <source>Professional</source>
        <translation>专业版</translation>
    </message>
    <message>
        <source>All CN stocks</source>
        <translation>A股全市场</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Embedded simulator (demo data)</source>
        <translation>内置模拟器（演示数据）</translation>
    </message>
    <message>
        <source>AllTick (token)</source>
        <translation>AllTick（需令牌）</translation>
    </message>
    <message>
        <source>Batch-subscribe WebSocket URL</source>
        <translation>批量订阅 WebSocket 地址</translation>
    </message>
    <message>
        <source>Team relay (a gateway of the team&apos;s relay)</source>
        <translation>团队中继（团队中继的网关）</translation>
    </message>
    <message>
        <source>Data provider</source>
        <translation>行情源</translation>
    </message>
    <message>
        <source>AllTick URL</source>
        <translation>AllTick 地址</translation>
    </message>
    <message>
        <source>the WebSocket URL&apos;s host</source>
        <translation>与 WebSocket 地址同一主机</translation>
    </message>
    <message>
        <source>AllTick&apos;s HTTP API (previous closes from daily K-lines)</source>
        <translation>AllTick 的 HTTP 接口（用日K线取昨收价）</translation>
    </message>
    <message>
        <source>AllTick HTTP API</source>
        <translation>AllTick HTTP 接口</translation>
    </message>
    <message>
        <source>stored in %s</source>
        <translation>保存在 %s</translation>
    </message>
    <message>
        <source>AllTick token</source>
        <translation>AllTick 令牌</translation>
    </message>
    <message>
        <source>%1: %2 connection(s) × %3 codes</source>
        <translation>%1：%2 个连接 × 每个 %3 个代码</translation>
    </message>
    <message>
        <source>Custom: codes per connection below</source>
        <translation>自定义：使用下方的每连接代码数</translation>
    </message>
    <message>
        <source>The feed keeps your plan&apos;s limits: connections, codes per connection, and how fast previous closes may be asked for</source>
        <translation>行情连接遵守套餐限制：连接数、每个连接的代码数，以及查询昨收价的频率</translation>
    </message>
    <message>
        <source>AllTick plan</source>
        <translation>AllTick 套餐</translation>
    </message>
    <message>
        <source>Codes per connection (plan)</source>
        <translation>每个连接的代码数（套餐）</translation>
    </message>
    <message>
        <source>Batch-subscribe URL</source>
        <translation>批量订阅地址</translation>
    </message>
    <message>
        <source>Team relay URL</source>
        <translation>团队中继地址</translation>
    </message>
    <message>
        <source>Red for up, green for down (China convention)</source>
        <translation>红涨绿跌（国内习惯）</translation>
    </message>
    <message>
        <source>Colours</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source> per second</source>
        <translation> 次/秒</translation>
    </message>
    <message>
        <source>Table refresh</source>
        <translation>表格刷新</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Lots (手) in Chinese, shares in English</source>
        <translation>中文界面用手，英文界面用股</translation>
    </message>
    <message>
        <source>Lots (手, 100 shares)</source>
        <translation>手（1 手 = 100 股）</translation>
    </message>
    <message>
        <source>Shares</source>
        <translation>股</translation>
    </message>
    <message>
        <source>Volume unit</source>
        <translation>成交量单位</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Discreet mode (Ctrl+D) also shrinks to a small always-on-top window</source>
        <translation>低调模式（Ctrl+D）同时缩成置顶小窗口</translation>
    </message>
    <message>
        <source>Discreet mode</source>
        <translation>低调模式</translation>
    </message>
    <message>
        <source>Record every tick to a file per day (for replay and analysis)</source>
        <translation>把每一笔成交按日记录到文件（用于回放和分析）</translation>
    </message>
    <message>
        <source>Recording</source>
        <translation>录制</translation>
    </message>
    <message>
        <source>Refresh the A-share listing from the exchanges (once a day)</source>
        <translation>从交易所更新 A 股列表（每天一次）</translation>
    </message>
    <message>
        <source>Listing</source>
        <translation>股票列表</translation>
    </message>
    <message>
        <source>System beep</source>
        <translation>系统提示音</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Choose a WAV file…</source>
        <translation>选择 WAV 文件…</translation>
    </message>
    <message>
        <source>Alert sound</source>
        <translation>预警声音</translation>
    </message>
    <message>
        <source>WAV sound (*.wav)</source>
        <translation>WAV 声音 (*.wav)</translation>
    </message>
    <message>
        <source>AllTick needs a token</source>
        <translation>AllTick 需要令牌</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>Connecting</source>
        <translation>连接中</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <source>Reconnecting in %1 s: %2</source>
        <translation>%1 秒后重连：%2</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>bad frames %1</source>
        <translation>坏帧 %1</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <source>Replay ended</source>
        <translation>回放结束</translation>
    </message>
    <message>
        <source>Replaying a recorded day</source>
        <translation>正在回放录制的交易日</translation>
    </message>
    <message>
        <source>%1 ticks/s</source>
        <translation>%1 笔/秒</translation>
    </message>
    <message>
        <source>subscribed %1 / receiving %2</source>
        <translation>订阅 %1 / 接收 %2</translation>
    </message>
    <message>
        <source>newest tick %1</source>
        <translation>最新成交 %1</translation>
    </message>
    <message>
        <source>Whole market: the provider&apos;s list, %1 symbols</source>
        <translation>全部A股：数据源提供的代码表，共 %1 个</translation>
    </message>
    <message>
        <source>Whole market: the A-share listing as of %1, %2 stocks</source>
        <translation>全部A股：截至 %1 的A股上市名单，共 %2 只</translation>
    </message>
    <message>
        <source>REC %1 ticks</source>
        <translation>录制 %1 笔</translation>
    </message>
    <message>
        <source>Recording to %1</source>
        <translation>正在录制到 %1</translation>
    </message>
    <message>
        <source>max speed</source>
        <translation>最快速度</translation>
    </message>
    <message>
        <source>Replay %1 %2</source>
        <translation>回放 %1 %2</translation>
    </message>
    <message>
        <source>ended</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>ended: the file is damaged</source>
        <translation>已结束：文件已损坏</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
</context>
<context>
    <name>TickerControl</name>
    <message>
        <source>Show the window</source>
        <translation>显示主窗口</translation>
    </message>
    <message>
        <source>Floating ticker</source>
        <translation>悬浮窗</translation>
    </message>
    <message>
        <source>Ticker click-through</source>
        <translation>悬浮窗鼠标穿透</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>WatchlistEdits</name>
    <message>
        <source>Already in the list</source>
        <translation>已在列表中</translation>
    </message>
    <message numerus="yes">
        <source>Add %n symbol(s)</source>
        <translation>
            <numerusform>添加 %n 只股票</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Added %n symbol(s)</source>
        <translation>
            <numerusform>已添加 %n 只股票</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n symbol(s)</source>
        <translation>
            <numerusform>%n 只股票</numerusform>
        </translation>
    </message>
    <message>
        <source>Removed %1 from “%2” — %3 undoes it</source>
        <translation>已从“%2”移除 %1 — 按 %3 撤销</translation>
    </message>
    <message>
        <source>Restored %1 to “%2”</source>
        <translation>已将 %1 恢复到“%2”</translation>
    </message>
    <message numerus="yes">
        <source>Remove %n symbol(s)</source>
        <translation>
            <numerusform>删除 %n 只股票</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete list</source>
        <translation>删除自选</translation>
    </message>
    <message>
        <source>The last list cannot be deleted</source>
        <translation>最后一个自选列表不能删除</translation>
    </message>
</context>
<context>
    <name>WindowMenus</name>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Lists</source>
        <translation>自选(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Alerts</source>
        <translation>预警(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Export snapshot (this view)…</source>
        <translation>导出快照（当前视图）…</translation>
    </message>
    <message>
        <source>Export snapshot (whole market)…</source>
        <translation>导出快照（全市场）…</translation>
    </message>
    <message>
        <source>Import list (CSV/TXT)…</source>
        <translation>导入自选（CSV/TXT）…</translation>
    </message>
    <message>
        <source>A-share listing…</source>
        <translation>A 股列表…</translation>
    </message>
    <message>
        <source>Import symbol list (CSV)…</source>
        <translation>导入代码表（CSV）…</translation>
    </message>
    <message>
        <source>Export list…</source>
        <translation>导出自选…</translation>
    </message>
    <message>
        <source>Record ticks</source>
        <translation>录制逐笔行情</translation>
    </message>
    <message>
        <source>Open recorded day…</source>
        <translation>打开录制的行情…</translation>
    </message>
    <message>
        <source>Pause or resume the replay</source>
        <translation>暂停或继续回放</translation>
    </message>
    <message>
        <source>Replay speed: ×1, ×10, ×60, max</source>
        <translation>回放速度：×1、×10、×60、最快</translation>
    </message>
    <message>
        <source>Jump to a time of the replay…</source>
        <translation>跳转到回放的某个时间…</translation>
    </message>
    <message>
        <source>Back to the live feed</source>
        <translation>回到实时行情</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Paste codes…</source>
        <translation>粘贴代码…</translation>
    </message>
    <message>
        <source>Remove from list</source>
        <translation>从自选删除</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Filter the table</source>
        <translation>筛选表格</translation>
    </message>
    <message>
        <source>Add a code or name</source>
        <translation>添加代码或名称</translation>
    </message>
    <message>
        <source>Next list</source>
        <translation>下一个自选</translation>
    </message>
    <message>
        <source>Previous list</source>
        <translation>上一个自选</translation>
    </message>
    <message>
        <source>Whole market</source>
        <translation>全市场</translation>
    </message>
    <message>
        <source>New list…</source>
        <translation>新建自选…</translation>
    </message>
    <message>
        <source>Rename list…</source>
        <translation>重命名自选…</translation>
    </message>
    <message>
        <source>Delete list</source>
        <translation>删除自选</translation>
    </message>
    <message>
        <source>New alert for the selected symbol…</source>
        <translation>为选中股票新建预警…</translation>
    </message>
    <message>
        <source>Alert rules…</source>
        <translation>预警规则…</translation>
    </message>
    <message>
        <source>Remove alerts of the selected symbol</source>
        <translation>删除选中股票的预警</translation>
    </message>
    <message>
        <source>Show chart and alerts</source>
        <translation>显示分时图与预警</translation>
    </message>
    <message>
        <source>Theme: follow the system</source>
        <translation>主题：跟随系统</translation>
    </message>
    <message>
        <source>Theme: light</source>
        <translation>主题：浅色</translation>
    </message>
    <message>
        <source>Theme: dark</source>
        <translation>主题：深色</translation>
    </message>
    <message>
        <source>Discreet mode</source>
        <translation>低调模式</translation>
    </message>
    <message>
        <source>Floating ticker</source>
        <translation>悬浮窗</translation>
    </message>
    <message>
        <source>Show holdings in discreet mode</source>
        <translation>低调模式下显示持仓</translation>
    </message>
    <message>
        <source>Language: follow the system</source>
        <translation>语言：跟随系统</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>About A-Share Monitor</source>
        <translation>关于 A股行情监控</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Quick search: type a code, name or pinyin initials in the table</source>
        <translation>键盘精灵：在表格中直接输入代码、名称或拼音首字母</translation>
    </message>
    <message>
        <source>Quick search: add to the list or jump to the row</source>
        <translation>键盘精灵：加入自选或跳到该行</translation>
    </message>
    <message>
        <source>Close a popup</source>
        <translation>关闭弹出框</translation>
    </message>
</context>
</TS>
