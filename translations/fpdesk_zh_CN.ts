<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>Accounts</name>
    <message>
        <source>Village officer</source>
        <translation>村计生专干</translation>
    </message>
    <message>
        <source>Township clerk</source>
        <translation>乡镇文员</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>login</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>failed login</source>
        <translation>登录失败</translation>
    </message>
    <message>
        <source>logout</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>report</source>
        <translation>统计报表</translation>
    </message>
    <message>
        <source>backup</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>restore</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <source>accounts</source>
        <translation>账户管理</translation>
    </message>
    <message>
        <source>record read</source>
        <translation>查看操作记录</translation>
    </message>
    <message>
        <source>enrollment</source>
        <translation>设备登记</translation>
    </message>
    <message>
        <source>command</source>
        <translation>命令</translation>
    </message>
    <message>
        <source>warning confirmed</source>
        <translation>已确认的提示</translation>
    </message>
</context>
<context>
    <name>AccountsDialog</name>
    <message>
        <source>Accounts</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>身份</translation>
    </message>
    <message>
        <source>Area code</source>
        <translation>区划代码</translation>
    </message>
    <message>
        <source>Waiting until</source>
        <translation>等待至</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>New passphrase…</source>
        <translation>设置新口令…</translation>
    </message>
    <message>
        <source>This register has no accounts yet: everyone uses its one passphrase. Add an administrator to give each person their own name and passphrase (the register is backed up and re-encrypted once).</source>
        <translation>这个登记册还没有账户：大家共用一个口令。添加一个管理员后，每个人可以用自己的用户名和口令登录（登记册会先备份，再重新加密一次）。</translation>
    </message>
    <message>
        <source>Account {0} added.</source>
        <translation>已添加账户 {0}。</translation>
    </message>
    <message>
        <source>Account {0} removed.</source>
        <translation>已删除账户 {0}。</translation>
    </message>
    <message>
        <source>New passphrase</source>
        <translation>新口令</translation>
    </message>
    <message>
        <source>New passphrase for {0}:</source>
        <translation>{0} 的新口令：</translation>
    </message>
    <message>
        <source>Account {0} has a new passphrase.</source>
        <translation>账户 {0} 的口令已更换。</translation>
    </message>
</context>
<context>
    <name>AddAccountDialog</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>身份</translation>
    </message>
    <message>
        <source>Area code</source>
        <translation>区划代码</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>口令</translation>
    </message>
    <message>
        <source>Passphrase again</source>
        <translation>再输一次口令</translation>
    </message>
    <message>
        <source>Add an account</source>
        <translation>添加账户</translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation>两次输入的口令不一样。</translation>
    </message>
    <message>
        <source>Type the account&apos;s name.</source>
        <translation>请输入账户名。</translation>
    </message>
</context>
<context>
    <name>AuditDetail</name>
    <message>
        <source>printout</source>
        <translation>打印件</translation>
    </message>
    <message>
        <source>period</source>
        <translation>期间</translation>
    </message>
    <message>
        <source>folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>bundles</source>
        <translation>数据包数</translation>
    </message>
    <message>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>import run</source>
        <translation>导入批次</translation>
    </message>
    <message>
        <source>exported to</source>
        <translation>导出到</translation>
    </message>
    <message>
        <source>rows</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>user name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>account added</source>
        <translation>添加账户</translation>
    </message>
    <message>
        <source>role</source>
        <translation>身份</translation>
    </message>
    <message>
        <source>area code</source>
        <translation>区划代码</translation>
    </message>
    <message>
        <source>register converted to accounts</source>
        <translation>登记册改为账户登录</translation>
    </message>
    <message>
        <source>account removed</source>
        <translation>删除账户</translation>
    </message>
    <message>
        <source>new passphrase for</source>
        <translation>修改口令的账户</translation>
    </message>
    <message>
        <source>passphrase reset with the recovery key for</source>
        <translation>用恢复密钥重设口令的账户</translation>
    </message>
    <message>
        <source>new recovery key</source>
        <translation>更换恢复密钥</translation>
    </message>
    <message>
        <source>backup</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>restored from</source>
        <translation>恢复自</translation>
    </message>
    <message>
        <source>made at</source>
        <translation>备份时间</translation>
    </message>
    <message>
        <source>written to</source>
        <translation>写入</translation>
    </message>
    <message>
        <source>command</source>
        <translation>命令</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>answer</source>
        <translation>处理</translation>
    </message>
    <message>
        <source>method</source>
        <translation>节育方法</translation>
    </message>
    <message>
        <source>birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>held bundle</source>
        <translation>暂扣的变更包</translation>
    </message>
    <message>
        <source>laptop</source>
        <translation>电脑</translation>
    </message>
    <message>
        <source>village</source>
        <translation>村</translation>
    </message>
    <message>
        <source>area</source>
        <translation>区划</translation>
    </message>
    <message>
        <source>decision</source>
        <translation>处理</translation>
    </message>
    <message>
        <source>reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>applied</source>
        <translation>已应用</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>assessment sheet</source>
        <translation>考核表</translation>
    </message>
    <message>
        <source>annual forms</source>
        <translation>年报表</translation>
    </message>
    <message>
        <source>monthly change report</source>
        <translation>月报告单</translation>
    </message>
    <message>
        <source>daily</source>
        <translation>每日</translation>
    </message>
    <message>
        <source>on quitting</source>
        <translation>退出时</translation>
    </message>
    <message>
        <source>made by hand</source>
        <translation>手动</translation>
    </message>
    <message>
        <source>before accounts</source>
        <translation>启用账户前</translation>
    </message>
    <message>
        <source>discarded</source>
        <translation>已放弃</translation>
    </message>
    <message>
        <source>village officer</source>
        <translation>村计生专干</translation>
    </message>
    <message>
        <source>township clerk</source>
        <translation>乡镇文员</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>birth while a method was in place</source>
        <translation>节育措施仍在使用时生育</translation>
    </message>
    <message>
        <source>method ended</source>
        <translation>已结束该节育措施</translation>
    </message>
    <message>
        <source>pregnancy recorded</source>
        <translation>已补登怀孕</translation>
    </message>
    <message>
        <source>checked, saved as it was</source>
        <translation>已核实，照样保存</translation>
    </message>
    <message>
        <source>change bundles</source>
        <translation>数据包</translation>
    </message>
    <message>
        <source>printing</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>report</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>indicators</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>lists of names</source>
        <translation>名单</translation>
    </message>
    <message>
        <source>statistics audit</source>
        <translation>统计核查</translation>
    </message>
    <message>
        <source>enrollment</source>
        <translation>登记电脑</translation>
    </message>
    <message>
        <source>laptops</source>
        <translation>电脑</translation>
    </message>
    <message>
        <source>conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <source>export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>resolve</source>
        <translation>处理</translation>
    </message>
    <message>
        <source>revoke</source>
        <translation>注销</translation>
    </message>
    <message>
        <source>draw a sample</source>
        <translation>抽样</translation>
    </message>
    <message>
        <source>record findings</source>
        <translation>记录核查结果</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>AuditLogDialog</name>
    <message>
        <source>Record of processing</source>
        <translation>操作记录</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Export (CSV or JSON)…</source>
        <translation>导出（CSV 或 JSON）…</translation>
    </message>
    <message>
        <source>Export the record</source>
        <translation>导出操作记录</translation>
    </message>
    <message>
        <source>Not exported: {0}</source>
        <translation>没有导出：{0}</translation>
    </message>
    <message>
        <source>{0} rows exported to {1}.</source>
        <translation>已导出 {0} 条记录到 {1}。</translation>
    </message>
</context>
<context>
    <name>Backups</name>
    <message>
        <source>Making today&apos;s backup…</source>
        <translation>正在做今天的备份…</translation>
    </message>
    <message>
        <source>Making the backup before closing. fpdesk closes when it is done…</source>
        <translation>正在做关闭前的备份，做完后程序自动关闭…</translation>
    </message>
    <message>
        <source>Backing up to {0}…</source>
        <translation>正在备份到 {0}…</translation>
    </message>
</context>
<context>
    <name>BirthForm</name>
    <message>
        <source>Type the birth date to see the birth order and the policy verdict.</source>
        <translation>填写出生日期后，这里显示孩次和是否符合政策。</translation>
    </message>
    <message>
        <source>Birth order for the couple: %1</source>
        <translation>夫妻第 %1 孩</translation>
    </message>
    <message>
        <source>Within policy</source>
        <translation>符合政策</translation>
    </message>
    <message>
        <source>Outside policy</source>
        <translation>不符合政策</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Rule: %1</source>
        <translation>依据：%1</translation>
    </message>
    <message>
        <source>Birth with a method in place</source>
        <translation>节育措施仍在使用时生育</translation>
    </message>
    <message>
        <source>End the method and save</source>
        <translation>结束该节育措施并保存</translation>
    </message>
    <message>
        <source>Record the pregnancy and save</source>
        <translation>补登怀孕并保存</translation>
    </message>
    <message>
        <source>Checked: save as it is</source>
        <translation>已核实，照样保存</translation>
    </message>
    <message>
        <source>Back to the form</source>
        <translation>返回表单</translation>
    </message>
</context>
<context>
    <name>BoardPage</name>
    <message>
        <source>Village</source>
        <translation>村</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Laptops</source>
        <translation>电脑</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>还没有</translation>
    </message>
    <message>
        <source>Last bundle taken</source>
        <translation>最近导入的数据包</translation>
    </message>
    <message>
        <source>Came</source>
        <translation>收到时间</translation>
    </message>
    <message>
        <source>Sequence</source>
        <translation>序号连续性</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <source>Duplicates</source>
        <translation>疑似重复</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月上报</translation>
    </message>
    <message>
        <source>Files not taken this month</source>
        <translation>本月未导入的文件</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>拒收</translation>
    </message>
    <message>
        <source>held</source>
        <translation>保留待核实</translation>
    </message>
    <message>
        <source>village unknown</source>
        <translation>村不明</translation>
    </message>
    <message>
        <source>{0} · {1} ({2}): {3}</source>
        <translation>{0} · {1}（{2}）：{3}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>(+{0} revoked)</source>
        <translation>（另有 {0} 台已注销）</translation>
    </message>
    <message>
        <source>missing {0}–{1}</source>
        <translation>缺第 {0}–{1} 号</translation>
    </message>
    <message numerus="yes">
        <source>%n fork(s) held</source>
        <translation>
            <numerusform>%n 个分叉包待处理</numerusform>
        </translation>
    </message>
    <message>
        <source>to send again after the restore</source>
        <translation>恢复后待重新发送</translation>
    </message>
    <message>
        <source>complete up to {0}</source>
        <translation>已连续收到第 {0} 号</translation>
    </message>
    <message>
        <source>reported</source>
        <translation>已上报</translation>
    </message>
    <message>
        <source>due by {0}</source>
        <translation>{0} 前上报</translation>
    </message>
    <message>
        <source>LATE (due {0})</source>
        <translation>逾期（应于 {0} 前）</translation>
    </message>
    <message>
        <source>no laptop enrolled</source>
        <translation>没有登记的电脑</translation>
    </message>
    <message>
        <source>Every village of the township: its laptops, the last bundle and when it came, whether its changes have arrived without a hole, and what waits for you. A village with no accepted bundle since the first of the month is late once the deadline has passed.</source>
        <translation>本乡镇的每个村：登记的电脑、最近的数据包和收到时间、修改是否连续收到没有缺号，以及等您处理的事项。本月1日以来没有成功导入数据包的村，过了截止日就算逾期。</translation>
    </message>
    <message>
        <source>Monthly deadline: day</source>
        <translation>每月截止日：</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Held bundles ({0})…</source>
        <translation>保留的数据包（{0}）…</translation>
    </message>
    <message>
        <source>{0} of {1} villages reported this month.</source>
        <translation>本月 {1} 个村中已有 {0} 个上报。</translation>
    </message>
    <message>
        <source>Late: {0}.</source>
        <translation>逾期：{0}。</translation>
    </message>
    <message>
        <source>Files not taken from: {0} (listed below the table).</source>
        <translation>有文件未导入：{0}（见表格下方）。</translation>
    </message>
    <message>
        <source>District hub: nothing acknowledged yet; {0} change(s) to report.</source>
        <translation>区县汇总库：还没有确认收到任何修改；有 {0} 条修改待报送。</translation>
    </message>
    <message>
        <source>District hub: your changes up to {0} acknowledged (imported {1}); {2} change(s) not yet acknowledged.</source>
        <translation>区县汇总库：已确认收到第 {0} 号以前的修改（回执导入于 {1}）；还有 {2} 条修改未经确认。</translation>
    </message>
    <message>
        <source>Restored from a backup: your next export to the district sends every change, and the district office releases it.</source>
        <translation>本登记册从备份恢复过：下一次报送区县会发送全部修改，由区县核实后放行。</translation>
    </message>
    <message>
        <source>This register was restored from a backup made {0}; every village has sent again what the restore lost.</source>
        <translation>本登记册已从 {0} 的备份恢复；恢复丢失的内容各村都已重新发送。</translation>
    </message>
    <message>
        <source>This register was restored from a backup made {0}: the villages&apos; work since then comes back as each laptop imports your next update and sends again. Still to send: {1}.</source>
        <translation>本登记册已从 {0} 的备份恢复：各村此后的工作会在各村电脑导入您的下一个更新包并重新发送后回来。尚待重新发送：{1}。</translation>
    </message>
</context>
<context>
    <name>Clerk</name>
    <message>
        <source>This stopped because of an error inside fpdesk (it is in the log). Nothing saved before was lost.</source>
        <translation>因为 fpdesk 内部出错，工作停下了（已记入日志）。以前保存的内容没有丢失。</translation>
    </message>
    <message>
        <source>The disk or USB stick is full. Make room or use another one, then try again.</source>
        <translation>磁盘或U盘已满。请腾出空间或换一个，再试一次。</translation>
    </message>
    <message>
        <source>This folder cannot be written (read-only or not allowed). Choose another folder.</source>
        <translation>这个文件夹不能写入（只读或没有权限）。请选择别的文件夹。</translation>
    </message>
    <message>
        <source>The file or folder is gone (was the USB stick removed?). Put it back and try again.</source>
        <translation>文件或文件夹不见了（U盘拔掉了吗？）。请插回去再试一次。</translation>
    </message>
    <message>
        <source>The file could not be read or written ({0}). Try another folder.</source>
        <translation>文件无法读取或写入（{0}）。请换一个文件夹试试。</translation>
    </message>
</context>
<context>
    <name>ClerkMenu</name>
    <message>
        <source>&amp;Township</source>
        <translation>乡镇(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Import bundles…</source>
        <translation>导入变更包(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Villages board</source>
        <translation>各村情况(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Conflicts</source>
        <translation>冲突(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Duplicates</source>
        <translation>疑似重复(&amp;D)</translation>
    </message>
    <message>
        <source>Village &amp;laptops</source>
        <translation>村里的电脑(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Send update bundles back…</source>
        <translation>回传更新包(&amp;S)…</translation>
    </message>
    <message>
        <source>Print an import &amp;receipt…</source>
        <translation>打印导入回执(&amp;R)…</translation>
    </message>
</context>
<context>
    <name>ClerkWorkspace</name>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Villages</source>
        <translation>各村情况</translation>
    </message>
    <message>
        <source>Conflicts ({0})</source>
        <translation>冲突（{0}）</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <source>Duplicates ({0})</source>
        <translation>疑似重复（{0}）</translation>
    </message>
    <message>
        <source>Duplicates</source>
        <translation>疑似重复</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Send back</source>
        <translation>回传</translation>
    </message>
</context>
<context>
    <name>ConflictsPage</name>
    <message>
        <source>Village</source>
        <translation>村</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>情况</translation>
    </message>
    <message>
        <source>Village&apos;s value</source>
        <translation>村里的值</translation>
    </message>
    <message>
        <source>Township&apos;s value</source>
        <translation>乡里的值</translation>
    </message>
    <message>
        <source>Decided</source>
        <translation>处理时间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>经办人</translation>
    </message>
    <message>
        <source>the village&apos;s value</source>
        <translation>村里的值</translation>
    </message>
    <message>
        <source>the township&apos;s value</source>
        <translation>乡里的值</translation>
    </message>
    <message>
        <source>another value</source>
        <translation>另填的值</translation>
    </message>
    <message>
        <source>A conflict is a field that both the village and the township changed since they last agreed. Compare the three values, take one or type another, and say why. The value that loses stays in the record&apos;s history, and your decision goes back to the village in its next update bundle.</source>
        <translation>冲突是指村里和乡里在上次一致之后都改过的同一个字段。请对比三个值，选用其中一个或填写新的值，并写明理由。没有采用的值保留在记录的历史里，您的决定会随下一个更新包发回村里。</translation>
    </message>
    <message>
        <source>Decide</source>
        <translation>处理</translation>
    </message>
    <message>
        <source>Before (both agreed)</source>
        <translation>原来的值（双方一致时）</translation>
    </message>
    <message>
        <source>The village&apos;s value</source>
        <translation>村里的值</translation>
    </message>
    <message>
        <source>The township&apos;s value</source>
        <translation>乡里的值</translation>
    </message>
    <message>
        <source>Take the village&apos;s value</source>
        <translation>采用村里的值</translation>
    </message>
    <message>
        <source>Keep the township&apos;s value</source>
        <translation>保留乡里的值</translation>
    </message>
    <message>
        <source>Another value:</source>
        <translation>填写其他值：</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Value taken</source>
        <translation>采用的值</translation>
    </message>
    <message>
        <source>e.g. checked with the officer by phone</source>
        <translation>例如：已与村干部电话核实</translation>
    </message>
    <message>
        <source>Decided conflicts (who, when, why)</source>
        <translation>已处理的冲突（谁、何时、为什么）</translation>
    </message>
    <message>
        <source>No conflict is waiting.</source>
        <translation>没有待处理的冲突。</translation>
    </message>
    <message>
        <source>{0} {1}, field “{2}”: {3}. From village {4}, change {5}.</source>
        <translation>{0} {1}，字段“{2}”：{3}。来自村 {4}，第 {5} 号修改。</translation>
    </message>
    <message>
        <source>Decided. It goes to the village in its next update bundle.</source>
        <translation>已处理。决定会随下一个更新包发回村里。</translation>
    </message>
</context>
<context>
    <name>ContraceptionStopForm</name>
    <message>
        <source>There is no method in use to stop.</source>
        <translation>目前没有正在使用的避孕措施可以停用。</translation>
    </message>
</context>
<context>
    <name>Crash</name>
    <message>
        <source>fpdesk</source>
        <translation>fpdesk</translation>
    </message>
    <message>
        <source>fpdesk: unexpected error</source>
        <translation>fpdesk：意外错误</translation>
    </message>
    <message>
        <source>Something went wrong inside fpdesk. What was saved before is safe. The details are in the log file; please give it to your township clerk.</source>
        <translation>fpdesk 内部出错了。之前保存的数据是安全的。详细情况记在日志文件里，请交给乡镇管理员。</translation>
    </message>
</context>
<context>
    <name>DailyCheck</name>
    <message>
        <source>Checking the register… It can be read meanwhile; changes wait until the end.</source>
        <translation>正在检查登记册…现在可以查看，检查完毕后才能修改。</translation>
    </message>
    <message>
        <source>The register is damaged: it can be read but not changed.</source>
        <translation>登记册已损坏：只能查看，不能修改。</translation>
    </message>
    <message>
        <source>The register is damaged</source>
        <translation>登记册已损坏</translation>
    </message>
    <message>
        <source>The daily check found the register file damaged. Nothing was written to it, and it can still be read, but no change can be saved. Restore the latest backup, and give the damaged file to a technician.</source>
        <translation>每日检查发现登记册文件已损坏。程序没有对它写入任何内容，仍可查看，但不能保存任何修改。请用最近的备份恢复，并把损坏的文件交给技术人员。</translation>
    </message>
    <message>
        <source>Restore from a backup…</source>
        <translation>从备份恢复…</translation>
    </message>
    <message>
        <source>Keep reading</source>
        <translation>继续查看</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <source>2019 = statistical year 1 Oct 2018 to 30 Sep 2019; also 2019Q1, 2019H1, 2019-03</source>
        <translation>2019 即统计年度 2018年10月1日至2019年9月30日；也可填 2019Q1、2019H1、2019-03</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>District</source>
        <translation>区县</translation>
    </message>
    <message>
        <source>Township</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村</translation>
    </message>
    <message>
        <source>Rows by</source>
        <translation>分行</translation>
    </message>
    <message>
        <source>Assessment sheet</source>
        <translation>指标考核表</translation>
    </message>
    <message>
        <source>Annual forms</source>
        <translation>年报表</translation>
    </message>
    <message>
        <source>Monthly change report</source>
        <translation>月报告单</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>统计时段</translation>
    </message>
    <message>
        <source>Monthly trend (by calendar month)</source>
        <translation>逐月趋势（按月份）</translation>
    </message>
    <message>
        <source>Double-click a number to see who is counted</source>
        <translation>双击数字查看计入的人员</translation>
    </message>
    <message>
        <source>Counting the indicators…</source>
        <translation>正在计算指标…</translation>
    </message>
    <message>
        <source>Indicators</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>%1 to %2, definitions %3</source>
        <translation>%1 至 %2，指标定义版本 %3</translation>
    </message>
    <message>
        <source>numerator</source>
        <translation>分子</translation>
    </message>
    <message>
        <source>denominator</source>
        <translation>分母</translation>
    </message>
    <message>
        <source>Printing the list…</source>
        <translation>正在打印名单…</translation>
    </message>
    <message numerus="yes">
        <source>Printed %1 (%n page(s))</source>
        <translation>
            <numerusform>已打印到 %1（共 %n 页）</numerusform>
        </translation>
    </message>
    <message>
        <source>Export to Excel</source>
        <translation>导出 Excel</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Writing the workbook…</source>
        <translation>正在生成报表…</translation>
    </message>
    <message>
        <source>Could not write the file: %1</source>
        <translation>无法写入文件：%1</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
</context>
<context>
    <name>DevicesPage</name>
    <message>
        <source>Village</source>
        <translation>村</translation>
    </message>
    <message>
        <source>Laptop</source>
        <translation>电脑</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>核对码</translation>
    </message>
    <message>
        <source>Enrolled</source>
        <translation>登记时间</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>revoked {0}</source>
        <translation>已于 {0} 注销</translation>
    </message>
    <message>
        <source>active</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>Only enrolled laptops can send bundles here. To enroll one: the village officer makes a request file on the laptop and brings it; you accept it here, which writes an answer file for the laptop; then you both read the fingerprint to each other by phone. If the digits differ, revoke the laptop.</source>
        <translation>只有登记过的电脑才能向本乡镇发送数据包。登记步骤：村干部在电脑上生成登记申请文件并带来；您在这里接受申请，生成给那台电脑的回复文件；然后双方在电话里互相读一遍核对码。数字不一致，就注销那台电脑。</translation>
    </message>
    <message>
        <source>Enroll a laptop…</source>
        <translation>登记电脑…</translation>
    </message>
    <message>
        <source>Revoke…</source>
        <translation>注销…</translation>
    </message>
    <message>
        <source>Replace a laptop…</source>
        <translation>更换电脑…</translation>
    </message>
    <message>
        <source>Step 1 of 3: choose the request file the village officer brought.</source>
        <translation>第1步（共3步）：选择村干部带来的登记申请文件。</translation>
    </message>
    <message>
        <source>The laptop&apos;s request file</source>
        <translation>电脑的登记申请文件</translation>
    </message>
    <message>
        <source>Enrollment files (*.json)</source>
        <translation>登记文件 (*.json)</translation>
    </message>
    <message>
        <source>Step 2 of 3: choose where to write the answer file.</source>
        <translation>第2步（共3步）：选择回复文件保存的位置。</translation>
    </message>
    <message>
        <source>Write the answer file</source>
        <translation>保存回复文件</translation>
    </message>
    <message>
        <source>Step 3 of 3: give the answer file {0} to the officer, who opens it on the laptop. Then read these digits to each other by phone. They must be the same on both screens; if not, revoke the laptop.</source>
        <translation>第3步（共3步）：把回复文件 {0} 交给村干部，在那台电脑上打开。然后在电话里互相读下面的数字：两边屏幕上必须完全一样，不一样就注销那台电脑。</translation>
    </message>
    <message>
        <source>Enrolled the laptop of village {0}.</source>
        <translation>已登记村 {0} 的电脑。</translation>
    </message>
    <message>
        <source>Choose a laptop in the list first.</source>
        <translation>请先在列表中选择一台电脑。</translation>
    </message>
    <message>
        <source>Revoke this laptop?</source>
        <translation>注销这台电脑？</translation>
    </message>
    <message>
        <source>From now on every bundle from laptop {0} (village {1}) is refused. Do this when a laptop is lost, stolen, broken or replaced. It cannot be undone: the laptop would have to enroll again with a new register.</source>
        <translation>从现在起，电脑 {0}（村 {1}）发来的所有数据包都会被拒收。电脑丢失、被盗、损坏或更换时才这样做。注销不能撤销：那台电脑只能用新的登记册重新登记。</translation>
    </message>
    <message>
        <source>Revoked: its bundles will be refused from now on.</source>
        <translation>已注销：以后它的数据包都会被拒收。</translation>
    </message>
    <message>
        <source>Choose the old, still active laptop in the list first.</source>
        <translation>请先在列表中选择要更换的旧电脑（仍然有效的那台）。</translation>
    </message>
    <message>
        <source>Replacing a laptop: 1. the new laptop makes a request file; 2. you choose it here; 3. the old laptop is revoked, the new one enrolled, and a snapshot with the whole village as the township holds it is written for it; 4. the officer opens the answer file and then the snapshot on the new laptop. Changes the old laptop never sent are lost with it.</source>
        <translation>更换电脑：1. 在新电脑上生成登记申请文件；2. 在这里选择这个文件；3. 旧电脑被注销，新电脑被登记，并按乡里现有的数据为它生成全村数据快照；4. 村干部在新电脑上先打开回复文件，再导入快照。旧电脑上从未发送的修改会随旧电脑一起丢失。</translation>
    </message>
    <message>
        <source>The new laptop&apos;s request file</source>
        <translation>新电脑的登记申请文件</translation>
    </message>
    <message>
        <source>Folder for the answer file and the snapshot</source>
        <translation>回复文件和快照的保存文件夹</translation>
    </message>
    <message>
        <source>Done. Give the officer {0} and {1}: open the answer file first, then import the snapshot. Compare these digits by phone.</source>
        <translation>完成。把 {0} 和 {1} 交给村干部：先打开回复文件，再导入快照。请在电话里核对下面的数字。</translation>
    </message>
    <message>
        <source>The old laptop is revoked; the new one is enrolled.</source>
        <translation>旧电脑已注销，新电脑已登记。</translation>
    </message>
</context>
<context>
    <name>DivorceForm</name>
    <message>
        <source>Married on</source>
        <translation>结婚日期</translation>
    </message>
    <message>
        <source>There is no marriage in force to end.</source>
        <translation>没有尚未终止的婚姻记录。</translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <source>4. Imported</source>
        <translation>4. 导入完成</translation>
    </message>
    <message>
        <source>Save &amp;report…</source>
        <translation>保存报告(&amp;R)…</translation>
    </message>
    <message>
        <source>Import &amp;another sheet of this file…</source>
        <translation>导入这个文件的另一张工作表(&amp;A)…</translation>
    </message>
    <message>
        <source>Households added</source>
        <translation>新增户数</translation>
    </message>
    <message>
        <source>Persons added</source>
        <translation>新增人数</translation>
    </message>
    <message>
        <source>Persons already in the register, empty fields filled</source>
        <translation>已在登记册中、补填了空项的人数</translation>
    </message>
    <message>
        <source>Contraceptive methods recorded</source>
        <translation>记录的节育措施</translation>
    </message>
    <message>
        <source>Births recorded</source>
        <translation>记录的生育</translation>
    </message>
    <message>
        <source>Rows already in the register, nothing new</source>
        <translation>已在登记册中、没有新内容的行</translation>
    </message>
    <message>
        <source>Rows with a problem, not imported</source>
        <translation>有问题、没有导入的行</translation>
    </message>
    <message>
        <source>Rows that are not persons (blank, subtotal, title)</source>
        <translation>不是人员的行（空行、小计、标题）</translation>
    </message>
    <message>
        <source>The households are in the household list (F3). Save the report to see every row of the sheet with what became of it; correct the rows with a problem in the sheet and import it again: what is already in is not added twice.</source>
        <translation>导入的户在户籍列表（F3）里。保存报告可以看到工作表每一行的处理结果；有问题的行请在台账里改正后再导入一次：已经导入的不会重复添加。</translation>
    </message>
    <message>
        <source>{0} was imported into the register.</source>
        <translation>{0} 已导入登记册。</translation>
    </message>
    <message>
        <source>Report saved: {0}</source>
        <translation>报告已保存：{0}</translation>
    </message>
</context>
<context>
    <name>DuplicatesPage</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Born</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Village A</source>
        <translation>村 A</translation>
    </message>
    <message>
        <source>Village B</source>
        <translation>村 B</translation>
    </message>
    <message>
        <source>Why they match</source>
        <translation>相同之处</translation>
    </message>
    <message>
        <source>Merged</source>
        <translation>合并时间</translation>
    </message>
    <message>
        <source>Kept</source>
        <translation>保留的人</translation>
    </message>
    <message>
        <source>Merged into it</source>
        <translation>被合并的人</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>By</source>
        <translation>经办人</translation>
    </message>
    <message>
        <source>Undone</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>{0} by {1}: {2}</source>
        <translation>{0}，{1}：{2}</translation>
    </message>
    <message>
        <source>The same person may have been entered in two villages. Look at both records, choose which one to keep and, for each field, whose value it keeps. The other record is kept as deleted, pointing to the one kept, and its births, visits and other records move over. Nothing is lost: a merge can be undone below.</source>
        <translation>同一个人可能在两个村都登记了。请对比两条记录，选择保留哪一条，并逐个字段选择保留谁的值。另一条记录标为已删除并指向保留的记录，它的出生、随访等记录都转到保留的人名下。不会丢失任何数据：合并可以在下面撤销。</translation>
    </message>
    <message>
        <source>Compare and merge</source>
        <translation>对比并合并</translation>
    </message>
    <message>
        <source>e.g. same ID card, confirmed by both officers</source>
        <translation>例如：身份证相同，两村干部都已确认</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <source>Not the same person</source>
        <translation>不是同一个人</translation>
    </message>
    <message>
        <source>Merges done and undone (who, when, why)</source>
        <translation>合并和撤销记录（谁、何时、为什么）</translation>
    </message>
    <message>
        <source>Search the whole register</source>
        <translation>在整个登记册中查找</translation>
    </message>
    <message>
        <source>Listed: the pairs flagged while importing bundles.</source>
        <translation>列出的是导入数据包时标记的疑似重复。</translation>
    </message>
    <message>
        <source>Undo merge</source>
        <translation>撤销合并</translation>
    </message>
    <message>
        <source>Searching the whole register…</source>
        <translation>正在整个登记册中查找…</translation>
    </message>
    <message numerus="yes">
        <source>%n more pair(s) found in the whole register.</source>
        <translation>
            <numerusform>在整个登记册中又找到 %n 对。</numerusform>
        </translation>
    </message>
    <message>
        <source>Keep A</source>
        <translation>保留 A</translation>
    </message>
    <message>
        <source>Keep B</source>
        <translation>保留 B</translation>
    </message>
    <message>
        <source>Keep A ({0})</source>
        <translation>保留 A（{0}）</translation>
    </message>
    <message>
        <source>Keep B ({0})</source>
        <translation>保留 B（{0}）</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <source>Merged. Both villages hear of it in their next update bundle.</source>
        <translation>已合并。两个村都会在下一个更新包中收到。</translation>
    </message>
    <message>
        <source>Marked as two different persons; the pair is not shown again.</source>
        <translation>已标为两个不同的人，这一对不再显示。</translation>
    </message>
    <message>
        <source>Choose a merge that is not undone in the list first.</source>
        <translation>请先在列表里选一条还没有撤销的合并。</translation>
    </message>
    <message>
        <source>The merge is undone: both persons are back as they were.</source>
        <translation>合并已撤销：两个人都恢复原样。</translation>
    </message>
</context>
<context>
    <name>FileDialogs</name>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>{0} file</source>
        <translation>{0} 文件</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Not this file</source>
        <translation>不能选这个文件</translation>
    </message>
    <message>
        <source>This is the register&apos;s own file, which is in use. Choose another file; nothing was changed.</source>
        <translation>这是正在使用的登记册本身的文件。请选择别的文件；没有做任何改动。</translation>
    </message>
</context>
<context>
    <name>FilePage</name>
    <message>
        <source>1. The ledger file</source>
        <translation>1. 台账文件</translation>
    </message>
    <message>
        <source>Choose the village&apos;s ledger: an Excel workbook (.xlsx or .xls) or a CSV file. Then choose the sheet to import; each sheet is imported on its own.</source>
        <translation>选择本村的台账：Excel 表格（新旧格式都可以）或 CSV 文件。再选择要导入的工作表；每张工作表单独导入。</translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation>文件(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Sheet:</source>
        <translation>工作表(&amp;S)：</translation>
    </message>
    <message>
        <source>Into the &amp;village:</source>
        <translation>导入到村(&amp;V)：</translation>
    </message>
    <message>
        <source>&amp;Choose…</source>
        <translation>选择(&amp;C)…</translation>
    </message>
    <message>
        <source>the ledger&apos;s file, or Choose…</source>
        <translation>台账文件的位置，或点“选择…”</translation>
    </message>
    <message>
        <source>choose the village</source>
        <translation>请选择村</translation>
    </message>
    <message>
        <source>Choose the sheet to import, then press Next.</source>
        <translation>选择要导入的工作表，然后按“下一步”。</translation>
    </message>
    <message>
        <source>Which ledger?</source>
        <translation>导入哪个台账？</translation>
    </message>
    <message>
        <source>Ledgers (*.xlsx *.xls *.csv);;All files (*)</source>
        <translation>台账 (*.xlsx *.xls *.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Opening {0}…</source>
        <translation>正在打开 {0}…</translation>
    </message>
    <message>
        <source>Opening the ledger…</source>
        <translation>正在打开台账…</translation>
    </message>
    <message numerus="yes">
        <source>%n sheets in this file; the sheet “{0}” has a heading. Choose another sheet if it is not the one to import, then press Next.</source>
        <translation>
            <numerusform>这个文件有 %n 张工作表，其中“{0}”有表头。如果要导入的不是这一张，请选择别的工作表，然后按“下一步”。</numerusform>
        </translation>
    </message>
    <message>
        <source>Press Next to see the heading and the columns.</source>
        <translation>按“下一步”查看表头和各列。</translation>
    </message>
    <message>
        <source>Choose the village this ledger belongs to, then press Next.</source>
        <translation>请选择这份台账属于哪个村，然后按“下一步”。</translation>
    </message>
    <message>
        <source>Reading the sheet…</source>
        <translation>正在读取工作表…</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>Welcome to fpdesk</source>
        <translation>欢迎使用 fpdesk</translation>
    </message>
    <message>
        <source>Set up the register for your village or township. The passphrase protects the register: without it nobody, not even you, can open it. Or open the demo register to look around.</source>
        <translation>为您的村或乡镇建立登记册。口令保护登记册：没有口令，任何人（包括您自己）都打不开它。也可以先打开演示登记册看一看。</translation>
    </message>
    <message>
        <source>Village officer</source>
        <translation>村计生专干</translation>
    </message>
    <message>
        <source>Township clerk</source>
        <translation>乡镇管理员</translation>
    </message>
    <message>
        <source>12 digits, e.g. 450102001201</source>
        <translation>12 位数字，例如 450102001201</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>身份</translation>
    </message>
    <message>
        <source>Area code</source>
        <translation>区划代码</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>您的姓名</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>口令</translation>
    </message>
    <message>
        <source>Passphrase again</source>
        <translation>再输一次口令</translation>
    </message>
    <message>
        <source>Create the register</source>
        <translation>建立登记册</translation>
    </message>
    <message>
        <source>Open the demo register</source>
        <translation>打开演示登记册</translation>
    </message>
    <message>
        <source>The area code has 12 digits.</source>
        <translation>区划代码是 12 位数字。</translation>
    </message>
    <message>
        <source>A village register needs a village code (last three digits not 000).</source>
        <translation>村级登记册需要村级代码（末三位不是 000）。</translation>
    </message>
    <message>
        <source>A township register needs a township code (ending in 000).</source>
        <translation>乡镇登记册需要乡镇代码（以 000 结尾）。</translation>
    </message>
    <message>
        <source>Type your name: it is written into the history of every change.</source>
        <translation>请填写您的姓名：每次修改的记录里都会写上它。</translation>
    </message>
    <message>
        <source>The passphrase needs at least 6 characters.</source>
        <translation>口令至少要 6 个字符。</translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation>两次输入的口令不一样。</translation>
    </message>
</context>
<context>
    <name>ForgottenPassphraseDialog</name>
    <message>
        <source>Set a new passphrase with the recovery key</source>
        <translation>用恢复密钥设新口令</translation>
    </message>
    <message>
        <source>The recovery key is on the sheet printed when the register was set up (kept in the office safe). It sets a new passphrase for one account; the other accounts keep theirs.</source>
        <translation>恢复密钥印在建立登记册时打印的恢复密钥单上（保存在办公室保险柜里）。它为一个账户设新口令，其他账户的口令不变。</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Recovery key</source>
        <translation>恢复密钥</translation>
    </message>
    <message>
        <source>New passphrase</source>
        <translation>新口令</translation>
    </message>
    <message>
        <source>New passphrase again</source>
        <translation>再输一次新口令</translation>
    </message>
    <message>
        <source>Type the account&apos;s user name.</source>
        <translation>请输入账户的用户名。</translation>
    </message>
    <message>
        <source>Type the recovery key from the sheet.</source>
        <translation>请输入恢复密钥单上的恢复密钥。</translation>
    </message>
    <message>
        <source>The passphrase needs at least 6 characters.</source>
        <translation>口令至少要 6 个字符。</translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation>两次输入的口令不一样。</translation>
    </message>
</context>
<context>
    <name>FormDialog</name>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Throw away what you typed in this form?</source>
        <translation>放弃这张表里已经填写的内容吗？</translation>
    </message>
    <message>
        <source>Throw away</source>
        <translation>放弃</translation>
    </message>
    <message>
        <source>Keep editing</source>
        <translation>继续填写</translation>
    </message>
</context>
<context>
    <name>Forms</name>
    <message>
        <source>Marriage</source>
        <translation>结婚</translation>
    </message>
    <message>
        <source>Date of marriage</source>
        <translation>结婚日期</translation>
    </message>
    <message>
        <source>Spouse in this household</source>
        <translation>本户中的配偶</translation>
    </message>
    <message>
        <source>Or: spouse from elsewhere, name</source>
        <translation>或：外地配偶姓名</translation>
    </message>
    <message>
        <source>Spouse&apos;s ID number</source>
        <translation>配偶身份证号</translation>
    </message>
    <message>
        <source>Spouse&apos;s address</source>
        <translation>配偶住址</translation>
    </message>
    <message>
        <source>Divorce</source>
        <translation>离婚</translation>
    </message>
    <message>
        <source>Date of divorce</source>
        <translation>离婚日期</translation>
    </message>
    <message>
        <source>Pregnancy registration</source>
        <translation>孕情登记</translation>
    </message>
    <message>
        <source>Registered on</source>
        <translation>登记日期</translation>
    </message>
    <message>
        <source>Last menstrual period</source>
        <translation>末次月经</translation>
    </message>
    <message>
        <source>Expected delivery (empty: LMP + 280 days)</source>
        <translation>预产期（不填则按末次月经加 280 天）</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Pregnancy outcome</source>
        <translation>妊娠结局</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>妊娠结局</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Birth</source>
        <translation>出生登记</translation>
    </message>
    <message>
        <source>Child&apos;s name</source>
        <translation>孩子姓名</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Child&apos;s ID number</source>
        <translation>孩子身份证号</translation>
    </message>
    <message>
        <source>Weight (g)</source>
        <translation>出生体重（克）</translation>
    </message>
    <message>
        <source>Place of birth</source>
        <translation>出生地点</translation>
    </message>
    <message>
        <source>Birth document</source>
        <translation>生育证件</translation>
    </message>
    <message>
        <source>Document number</source>
        <translation>证件编号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Ethnicity</source>
        <translation>民族</translation>
    </message>
    <message>
        <source>Relationship to head</source>
        <translation>与户主关系</translation>
    </message>
    <message>
        <source>Marital status</source>
        <translation>婚姻状况</translation>
    </message>
    <message>
        <source>Registration type</source>
        <translation>户口性质</translation>
    </message>
    <message>
        <source>Residence</source>
        <translation>居住状态</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>New household</source>
        <translation>新建户</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>所属村</translation>
    </message>
    <message>
        <source>Village group</source>
        <translation>村民小组</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Usual ethnicity of the members</source>
        <translation>本户常见民族</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>Edit person</source>
        <translation>修改人员信息</translation>
    </message>
    <message>
        <source>New person</source>
        <translation>新增人员</translation>
    </message>
    <message>
        <source>Date of the move</source>
        <translation>迁移日期</translation>
    </message>
    <message>
        <source>From / to (place)</source>
        <translation>迁出地 / 迁入地</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Float out (living elsewhere)</source>
        <translation>流出（外出居住）</translation>
    </message>
    <message>
        <source>Return (back from elsewhere)</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Transfer the hukou out</source>
        <translation>户口迁出</translation>
    </message>
    <message>
        <source>Transfer the hukou in</source>
        <translation>户口迁入</translation>
    </message>
    <message>
        <source>Left (floating-in person gone)</source>
        <translation>离开（流入人口）</translation>
    </message>
    <message>
        <source>Transfer in (hukou moves here)</source>
        <translation>迁入（户口迁来）</translation>
    </message>
    <message>
        <source>Float in (registered elsewhere)</source>
        <translation>流入（户口在外地）</translation>
    </message>
    <message>
        <source>Move in</source>
        <translation>迁入</translation>
    </message>
    <message>
        <source>Kind of move</source>
        <translation>迁移类别</translation>
    </message>
    <message>
        <source>Death</source>
        <translation>死亡</translation>
    </message>
    <message>
        <source>Date of death</source>
        <translation>死亡日期</translation>
    </message>
    <message>
        <source>Cause</source>
        <translation>死亡原因</translation>
    </message>
    <message>
        <source>Contraception: start</source>
        <translation>落实避孕措施</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>避孕方法</translation>
    </message>
    <message>
        <source>Start date</source>
        <translation>开始日期</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>服务机构</translation>
    </message>
    <message>
        <source>Contraception: stop</source>
        <translation>停用避孕措施</translation>
    </message>
    <message>
        <source>Stop date</source>
        <translation>停用日期</translation>
    </message>
    <message>
        <source>Supplies handed out</source>
        <translation>药具发放</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>药具</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Handed out by</source>
        <translation>发放人</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>随访</translation>
    </message>
    <message>
        <source>Visit type</source>
        <translation>随访类型</translation>
    </message>
    <message>
        <source>Visit date</source>
        <translation>随访日期</translation>
    </message>
    <message>
        <source>Visited by</source>
        <translation>随访人</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Fertility finding</source>
        <translation>生育能力情况</translation>
    </message>
    <message>
        <source>Date of the finding</source>
        <translation>认定日期</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Recorded by</source>
        <translation>登记人</translation>
    </message>
    <message>
        <source>Pregnancy visit</source>
        <translation>孕情随访</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>年-月-日</translation>
    </message>
    <message>
        <source>18 characters</source>
        <translation>18 位</translation>
    </message>
</context>
<context>
    <name>HeldDialog</name>
    <message>
        <source>Held bundles</source>
        <translation>保留的数据包</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>HeldPage</name>
    <message>
        <source>Village</source>
        <translation>村</translation>
    </message>
    <message>
        <source>Laptop</source>
        <translation>电脑</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>修改序号</translation>
    </message>
    <message>
        <source>Held since</source>
        <translation>保留时间</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>A held bundle repeats changes already received with other content: the laptop was probably restored from an old backup and used again. Look at what it would change, then apply it (what both sides changed goes to the conflicts) or discard it with a reason. Either way that laptop is revoked: set up a new register on it, enroll it and send it a snapshot (Devices, Replace).</source>
        <translation>保留的数据包里有以前收到过、但内容不同的修改：这台电脑可能是从旧备份恢复后又继续使用的。先看看它会改什么，再决定导入（两边都改过的字段进入冲突）或写明理由后放弃。无论哪种，这台电脑都会被停用：请在电脑上新建登记册，重新登记，再发给它全村快照（“设备”页，“替换”）。</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>needed to discard, e.g. typed again since</source>
        <translation>放弃时必须填写，例如：这些修改已经重新录入</translation>
    </message>
    <message>
        <source>Apply…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Discard…</source>
        <translation>放弃…</translation>
    </message>
    <message>
        <source>No bundle is held.</source>
        <translation>没有保留的数据包。</translation>
    </message>
    <message>
        <source>If applied: {0} applied, {1} unchanged, {2} to the conflicts.</source>
        <translation>如果导入：应用 {0} 条，无变化 {1} 条，{2} 条进入冲突。</translation>
    </message>
    <message>
        <source>(received before, the same)</source>
        <translation>（以前收到过，相同）</translation>
    </message>
    <message>
        <source>Apply the held bundle of laptop {0} (village {1})? What merges cleanly is written now and what both sides changed goes to the conflicts. The laptop is then revoked: it must be set up again and sent a snapshot.</source>
        <translation>导入电脑 {0}（村 {1}）保留的数据包吗？能合并的修改现在写入，两边都改过的进入冲突。之后这台电脑会被停用：必须重新设置，并发给它快照。</translation>
    </message>
    <message>
        <source>Apply the held bundle?</source>
        <translation>导入保留的数据包？</translation>
    </message>
    <message>
        <source>Write the reason for discarding it first.</source>
        <translation>请先写明放弃的理由。</translation>
    </message>
    <message>
        <source>Discard the held bundle of laptop {0} (village {1})? Nothing in it is written to the register; the file and your reason are kept. The laptop is then revoked: it must be set up again and sent a snapshot.</source>
        <translation>放弃电脑 {0}（村 {1}）保留的数据包吗？包里的内容不会写入登记册；文件和你的理由会保留。之后这台电脑会被停用：必须重新设置，并发给它快照。</translation>
    </message>
    <message>
        <source>Discard the held bundle?</source>
        <translation>放弃保留的数据包？</translation>
    </message>
    <message>
        <source>Applied: {0} applied, {1} to the conflicts.</source>
        <translation>已导入：应用 {0} 条，{1} 条进入冲突。</translation>
    </message>
    <message>
        <source>Discarded; your reason is in the import ledger.</source>
        <translation>已放弃；你的理由已记入导入记录。</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <source>History</source>
        <translation>修改记录</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>修改人</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>原值</translation>
    </message>
    <message>
        <source>After</source>
        <translation>新值</translation>
    </message>
    <message>
        <source>Undo last change (Ctrl+Z)</source>
        <translation>撤销最后一次修改（Ctrl+Z）</translation>
    </message>
    <message>
        <source>created</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>The last change was undone.</source>
        <translation>最后一次修改已撤销。</translation>
    </message>
</context>
<context>
    <name>HouseholdForm</name>
    <message>
        <source>This register knows no village yet: import a village&apos;s bundle or add the villages to the area table first.</source>
        <translation>本登记册还没有任何村：请先导入村里的数据包，或在区划表中添加村。</translation>
    </message>
    <message>
        <source>Add member (Ctrl+M)</source>
        <translation>添加成员（Ctrl+M）</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>成员</translation>
    </message>
</context>
<context>
    <name>HouseholdModel</name>
    <message>
        <source>Household code</source>
        <translation>户编码</translation>
    </message>
    <message>
        <source>Head</source>
        <translation>户主</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>组</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
</context>
<context>
    <name>HouseholdPage</name>
    <message>
        <source>Add a person</source>
        <translation>添加成员</translation>
    </message>
    <message>
        <source>Move in</source>
        <translation>迁入</translation>
    </message>
    <message>
        <source>History</source>
        <translation>修改记录</translation>
    </message>
    <message>
        <source>This household was not found.</source>
        <translation>找不到这一户。</translation>
    </message>
    <message>
        <source>(no head recorded)</source>
        <translation>（未登记户主）</translation>
    </message>
    <message>
        <source>Household {0}: {1}</source>
        <translation>户 {0}：{1}</translation>
    </message>
    <message>
        <source>Group {0}</source>
        <translation>第 {0} 组</translation>
    </message>
    <message>
        <source>Address: {0}</source>
        <translation>地址：{0}</translation>
    </message>
    <message>
        <source>Phone: {0}</source>
        <translation>电话：{0}</translation>
    </message>
</context>
<context>
    <name>HubLogin</name>
    <message>
        <source>Log in to the district hub</source>
        <translation>登录区县汇总库</translation>
    </message>
    <message>
        <source>The password was not accepted. Type the password of user %1 at %2 again:</source>
        <translation>口令不对，没有登录。请重新输入用户 %1 在 %2 的口令：</translation>
    </message>
    <message>
        <source>Password of user %1 at %2:</source>
        <translation>用户 %1 在 %2 的口令：</translation>
    </message>
    <message>
        <source>District hub</source>
        <translation>区县汇总库</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>HubWindow</name>
    <message>
        <source>the hub&apos;s owner (%1)</source>
        <translation>汇总库所有者（%1）</translation>
    </message>
    <message>
        <source>district staff %1</source>
        <translation>区县人员 %1</translation>
    </message>
    <message>
        <source>staff of township %1 (%2)</source>
        <translation>乡镇人员：%1（%2）</translation>
    </message>
    <message>
        <source>this computer&apos;s hub</source>
        <translation>本机汇总库</translation>
    </message>
    <message>
        <source>fpdesk · district hub %1 · %2 · read-only</source>
        <translation>fpdesk · 区县汇总库 %1 · %2 · 只读</translation>
    </message>
    <message>
        <source>Indicators</source>
        <translation>统计指标</translation>
    </message>
    <message>
        <source>Township %1 only: this login sees the records of its own township, so every number here is the township&apos;s, not the district&apos;s.</source>
        <translation>只看乡镇 %1：这个账户只能看到本乡镇的记录，这里的每个数字都是本乡镇的，不是全区县的。</translation>
    </message>
    <message>
        <source>Counting: %1 (all its townships)</source>
        <translation>统计范围：%1（所有乡镇）</translation>
    </message>
    <message>
        <source>Townships</source>
        <translation>各乡镇</translation>
    </message>
    <message>
        <source>Export &amp;annual forms…</source>
        <translation>导出年报表(&amp;A)…</translation>
    </message>
    <message>
        <source>Export the &amp;assessment of the townships…</source>
        <translation>导出各乡镇考核表(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Indicators</source>
        <translation>统计指标(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Townships</source>
        <translation>各乡镇(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Export to Excel</source>
        <translation>导出到 Excel(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>查看(&amp;V)</translation>
    </message>
    <message>
        <source>No township has enrolled yet.</source>
        <translation>还没有乡镇加入汇总库。</translation>
    </message>
    <message>
        <source>%1 townships, %2 late, %3 with missing changes</source>
        <translation>乡镇 %1 个，迟报 %2 个，缺数据 %3 个</translation>
    </message>
</context>
<context>
    <name>ImportPage</name>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Applied / unchanged / conflicts</source>
        <translation>应用 / 无变化 / 冲突</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>修改序号</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Put the villages&apos; bundle files (.fpb) in one folder or plug in the USB drive, then press Import. Every file is checked (signature, sender, sequence) before anything is written; each file is imported whole or not at all, so Cancel is always safe. A file already imported is skipped.</source>
        <translation>把各村的数据包文件（.fpb）放在一个文件夹里，或插上U盘，然后按“导入”。每个文件在写入前都会检查（签名、发送的电脑、序号）；每个文件要么整个导入，要么完全不导入，所以随时取消都是安全的。以前导入过的文件会跳过。</translation>
    </message>
    <message>
        <source>Choose folder…</source>
        <translation>选择文件夹…</translation>
    </message>
    <message>
        <source>Use this drive</source>
        <translation>使用这个U盘</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Print receipt…</source>
        <translation>打印回执…</translation>
    </message>
    <message>
        <source>Import runs:</source>
        <translation>导入批次：</translation>
    </message>
    <message>
        <source>No USB drive found</source>
        <translation>没有找到U盘</translation>
    </message>
    <message>
        <source>Folder with the bundles</source>
        <translation>数据包所在的文件夹</translation>
    </message>
    <message>
        <source>No folder chosen yet.</source>
        <translation>还没有选择文件夹。</translation>
    </message>
    <message numerus="yes">
        <source>%n bundle file(s) in {0}</source>
        <translation>
            <numerusform>{0} 中有 %n 个数据包文件</numerusform>
        </translation>
    </message>
    <message>
        <source>There are no bundle files (.fpb) in this folder.</source>
        <translation>这个文件夹里没有数据包文件（.fpb）。</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <source>Stopping after the file being imported…</source>
        <translation>导入完当前这个文件后停止…</translation>
    </message>
    <message>
        <source>Cancelled: {0} file(s) imported before stopping; the others were not touched. Press Import again to go on.</source>
        <translation>已取消：停止前导入了 {0} 个文件，其余文件没有动。再按“导入”可以继续。</translation>
    </message>
    <message>
        <source>Done: {0} file(s). Accepted {1}, already imported {2}, gap {3}, fork {4}, refused {5}.</source>
        <translation>完成：共 {0} 个文件。已导入 {1}，以前导入过 {2}，缺号 {3}，分叉 {4}，拒收 {5}。</translation>
    </message>
    <message>
        <source>nothing imported yet</source>
        <translation>还没有导入过</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n 个文件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n not taken</source>
        <translation>
            <numerusform>，%n 个未导入</numerusform>
        </translation>
    </message>
    <message>
        <source>Shown: the import run {0}.</source>
        <translation>显示的是这一批导入：{0}。</translation>
    </message>
</context>
<context>
    <name>IndicatorCard</name>
    <message>
        <source>Show who is counted</source>
        <translation>查看计入的人员</translation>
    </message>
    <message>
        <source>Click or press Enter to see who is counted</source>
        <translation>单击或按回车键查看名单</translation>
    </message>
    <message>
        <source>No target</source>
        <translation>无考核目标</translation>
    </message>
    <message>
        <source>not assessed at this level</source>
        <translation>本级不考核</translation>
    </message>
    <message>
        <source>met</source>
        <translation>达标</translation>
    </message>
    <message>
        <source>not met</source>
        <translation>未达标</translation>
    </message>
    <message>
        <source>Target %1: %2</source>
        <translation>目标 %1：%2</translation>
    </message>
</context>
<context>
    <name>KeyboardDialog</name>
    <message>
        <source>Keyboard</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Search box: go down into the results</source>
        <translation>搜索框：下移到结果列表</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>下箭头</translation>
    </message>
    <message>
        <source>Search box, a list: open the chosen line</source>
        <translation>搜索框、列表：打开选中的一行</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>回车</translation>
    </message>
    <message>
        <source>Search box: clear</source>
        <translation>搜索框：清空</translation>
    </message>
    <message>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <source>Work list: record the chosen visit</source>
        <translation>工作清单：登记选中的随访</translation>
    </message>
    <message>
        <source>Person page: back to the household</source>
        <translation>个人页：回到本户</translation>
    </message>
    <message>
        <source>Backspace</source>
        <translation>退格</translation>
    </message>
    <message>
        <source>Form: next field</source>
        <translation>表单：下一栏</translation>
    </message>
    <message>
        <source>Tab</source>
        <translation>Tab</translation>
    </message>
    <message>
        <source>Form: save (Ctrl+Enter inside a note)</source>
        <translation>表单：保存（在备注里用 Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Form: throw away what was typed (asks first)</source>
        <translation>表单：放弃已填内容（先询问）</translation>
    </message>
    <message>
        <source>New household form: add a member</source>
        <translation>新建户表单：添加成员</translation>
    </message>
    <message>
        <source>History: undo the last change</source>
        <translation>历史：撤销最后一次修改</translation>
    </message>
    <message>
        <source>What</source>
        <translation>功能</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>按键</translation>
    </message>
</context>
<context>
    <name>KeysMenu</name>
    <message>
        <source>&amp;Register</source>
        <translation>登记册(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Back up to a folder (USB stick)…</source>
        <translation>备份到文件夹（U盘）(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Accounts…</source>
        <translation>账户(&amp;A)…</translation>
    </message>
    <message>
        <source>Record of &amp;processing…</source>
        <translation>操作记录(&amp;P)…</translation>
    </message>
    <message>
        <source>Back up to which folder?</source>
        <translation>备份到哪个文件夹？</translation>
    </message>
    <message>
        <source>Backup</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Backed up to {0}. The copy is encrypted like the register.</source>
        <translation>已备份到 {0}。备份和登记册一样是加密的。</translation>
    </message>
</context>
<context>
    <name>LedgerWizard</name>
    <message>
        <source>Import a ledger</source>
        <translation>导入台账</translation>
    </message>
    <message>
        <source>&lt; &amp;Back</source>
        <translation>&lt; 上一步(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Next &gt;</source>
        <translation>下一步(&amp;N) &gt;</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Nothing was changed in the register.</source>
        <translation>登记册没有任何改动。</translation>
    </message>
    <message>
        <source>Save the import report as</source>
        <translation>导入报告保存为</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>The report could not be written to {0}: {1}. Choose another folder.</source>
        <translation>报告无法写入 {0}：{1}。请选择别的文件夹。</translation>
    </message>
    <message>
        <source>You changed the fields of some columns. Keep these choices for the next ledger of the same shape?</source>
        <translation>您修改了一些列对应的项目。要保留这些选择，供下次导入同样格式的台账时使用吗？</translation>
    </message>
</context>
<context>
    <name>LockCover</name>
    <message>
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>fpdesk: township family-planning register</source>
        <translation>fpdesk：乡镇级计划生育登记册</translation>
    </message>
    <message>
        <source>fpdesk: village family-planning register</source>
        <translation>fpdesk：村级计划生育登记册</translation>
    </message>
    <message>
        <source>&amp;Township clerk</source>
        <translation>乡镇文员(&amp;T)</translation>
    </message>
    <message>
        <source>Work list</source>
        <translation>工作清单</translation>
    </message>
    <message>
        <source>Households</source>
        <translation>户籍</translation>
    </message>
    <message>
        <source>About fpdesk</source>
        <translation>关于 fpdesk</translation>
    </message>
    <message>
        <source>&amp;New household…</source>
        <translation>新建户(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Work list</source>
        <translation>工作清单(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Households</source>
        <translation>户籍(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Dashboard</source>
        <translation>统计看板(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Lock</source>
        <translation>锁定(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;About fpdesk</source>
        <translation>关于 fpdesk(&amp;A)</translation>
    </message>
    <message>
        <source>Search: name, pinyin (zs), ID number tail, household code</source>
        <translation>搜索：姓名、拼音（zs）、身份证号末几位、户编码</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>统计</translation>
    </message>
    <message>
        <source>Township clerk</source>
        <translation>乡镇文员</translation>
    </message>
    <message>
        <source>Choose a household on the left, or search above.</source>
        <translation>请在左侧选择一户，或在上方搜索。</translation>
    </message>
    <message>
        <source>Nothing found. Try the pinyin initials or the last digits of the ID number.</source>
        <translation>没有找到。可试试拼音首字母或身份证号末几位。</translation>
    </message>
    <message>
        <source>village</source>
        <translation>村</translation>
    </message>
    <message>
        <source>township</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <source>{0} register {1} · {2}</source>
        <translation>{0}登记册 {1} · {2}</translation>
    </message>
    <message>
        <source>All households</source>
        <translation>全部户</translation>
    </message>
    <message>
        <source>{0} ({1})</source>
        <translation>{0}（{1}）</translation>
    </message>
    <message>
        <source>Group {0} ({1})</source>
        <translation>第 {0} 组（{1}）</translation>
    </message>
    <message>
        <source>This list is long: it is kept in household-code order. Choose a village on the left to sort by another column.</source>
        <translation>列表太长，保持按户编码排序。请先在左侧选择一个村，再按其他列排序。</translation>
    </message>
    <message>
        <source>fpdesk {0}: an offline register for village family-planning and reproductive-health work. It records voluntary, informed-choice services.</source>
        <translation>fpdesk {0}：村级计划生育与生殖健康离线登记册。它记录的是自愿、知情选择的服务。</translation>
    </message>
    <message>
        <source>The backup could not be made: {0}</source>
        <translation>没能做备份：{0}</translation>
    </message>
</context>
<context>
    <name>MappingPage</name>
    <message>
        <source>2. Headings and columns</source>
        <translation>2. 表头和各列</translation>
    </message>
    <message>
        <source>&amp;Propose again</source>
        <translation>重新建议(&amp;P)</translation>
    </message>
    <message>
        <source>Each column of the sheet and the field it goes into. Change a field where the proposal is wrong; choose “(not imported)” for a column to leave out. Fields marked * are needed on every row.</source>
        <translation>工作表的每一列及其导入到的项目。建议不对的，请改选项目；不导入的列选“（不导入）”。带 * 的项目每一行都必须有。</translation>
    </message>
    <message>
        <source>Heading found in row(s) {0} (highlighted). {1} rows to import.</source>
        <translation>表头在第 {0} 行（黄色标出）。要导入 {1} 行。</translation>
    </message>
    <message>
        <source>Rows left out: {0}.</source>
        <translation>不导入的行：{0}。</translation>
    </message>
    <message>
        <source>Rows with anything in “{0}” are not imported: the register takes the living residents only.</source>
        <translation>“{0}”列有内容的行不会导入：登记册只收现有人口。</translation>
    </message>
    <message>
        <source>The fields are the ones you chose last time for a sheet of this shape.</source>
        <translation>各列的项目沿用上次导入同样格式的表时的选择。</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Heading</source>
        <translation>表头</translation>
    </message>
    <message>
        <source>First values</source>
        <translation>前几个值</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>(not imported)</source>
        <translation>（不导入）</translation>
    </message>
</context>
<context>
    <name>MembersDialog</name>
    <message>
        <source>Listed: %1</source>
        <translation>名单：%1 行</translation>
    </message>
    <message>
        <source>Print to PDF…</source>
        <translation>打印为 PDF…</translation>
    </message>
    <message>
        <source>Print the list</source>
        <translation>打印名单</translation>
    </message>
    <message>
        <source>PDF file (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
</context>
<context>
    <name>MembersModel</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Counted for</source>
        <translation>计入事项</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Household</source>
        <translation>户编码</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村（居）</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <source>Relationship</source>
        <translation>与户主关系</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>died</source>
        <translation>已死亡</translation>
    </message>
    <message>
        <source>moved away</source>
        <translation>已迁出或离开</translation>
    </message>
    <message>
        <source>living elsewhere</source>
        <translation>流出</translation>
    </message>
    <message>
        <source>floating in</source>
        <translation>流入</translation>
    </message>
    <message>
        <source>childbearing age</source>
        <translation>育龄</translation>
    </message>
    <message>
        <source>pregnant</source>
        <translation>孕期</translation>
    </message>
    <message numerus="yes">
        <source>%n visit(s) due</source>
        <translation>
            <numerusform>待访 %n 次</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PersonMoveForm</name>
    <message>
        <source>Close the household?</source>
        <translation>注销这一户？</translation>
    </message>
</context>
<context>
    <name>PersonPage</name>
    <message>
        <source>Back to the household</source>
        <translation>返回本户</translation>
    </message>
    <message>
        <source>Record…</source>
        <translation>登记…</translation>
    </message>
    <message>
        <source>History</source>
        <translation>修改记录</translation>
    </message>
    <message>
        <source>This person was not found.</source>
        <translation>找不到此人。</translation>
    </message>
    <message>
        <source>{0}, {1}, {2} years</source>
        <translation>{0}，{1}，{2} 岁</translation>
    </message>
    <message>
        <source>Born {0}</source>
        <translation>出生于 {0}</translation>
    </message>
    <message>
        <source>Service &amp;visit</source>
        <translation>服务随访(&amp;V)</translation>
    </message>
    <message>
        <source>Register a &amp;pregnancy</source>
        <translation>怀孕登记(&amp;P)</translation>
    </message>
    <message>
        <source>Pre&amp;gnancy visit</source>
        <translation>孕情随访(&amp;G)</translation>
    </message>
    <message>
        <source>Pregnancy &amp;outcome</source>
        <translation>妊娠结局(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Birth</source>
        <translation>出生登记(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Start contraception</source>
        <translation>开始避孕(&amp;S)</translation>
    </message>
    <message>
        <source>S&amp;top contraception</source>
        <translation>停止避孕(&amp;T)</translation>
    </message>
    <message>
        <source>Supplies &amp;handed out</source>
        <translation>药具发放(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Fertility finding</source>
        <translation>生育能力情况(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Marriage</source>
        <translation>结婚(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Divorce</source>
        <translation>离婚(&amp;D)</translation>
    </message>
    <message>
        <source>Float o&amp;ut</source>
        <translation>流出(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Return</source>
        <translation>返回(&amp;R)</translation>
    </message>
    <message>
        <source>Tr&amp;ansfer the hukou out</source>
        <translation>户口迁出(&amp;A)</translation>
    </message>
    <message>
        <source>Transfer the hukou &amp;in</source>
        <translation>户口迁入(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Left (floating-in person)</source>
        <translation>离开（流入人口）(&amp;L)</translation>
    </message>
    <message>
        <source>D&amp;eath</source>
        <translation>死亡(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Correct this person&apos;s details</source>
        <translation>更正此人信息(&amp;C)</translation>
    </message>
    <message>
        <source>ID {0}</source>
        <translation>身份证 {0}</translation>
    </message>
    <message>
        <source>Household {0}, {1}</source>
        <translation>户 {0}，{1}</translation>
    </message>
</context>
<context>
    <name>PregnancyOutcomeForm</name>
    <message>
        <source>There is no open pregnancy to close.</source>
        <translation>没有尚未结束的孕情记录。</translation>
    </message>
</context>
<context>
    <name>PreviewPage</name>
    <message>
        <source>3. Preview: the rows as they will be stored</source>
        <translation>3. 预览：各行将如何保存</translation>
    </message>
    <message>
        <source>S&amp;kip the rows with problems (import the others)</source>
        <translation>跳过有问题的行（导入其余各行）(&amp;K)</translation>
    </message>
    <message>
        <source>Save &amp;report…</source>
        <translation>保存报告(&amp;R)…</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>各行</translation>
    </message>
    <message>
        <source>Differences with the register</source>
        <translation>与登记册不同之处</translation>
    </message>
    <message>
        <source>Checking every row against the register…</source>
        <translation>正在逐行与登记册核对…</translation>
    </message>
    <message>
        <source>Checking the rows…</source>
        <translation>正在核对各行…</translation>
    </message>
    <message numerus="yes">
        <source>Import is not possible yet: %n row(s) have a problem. Correct them in the sheet (Save report… lists each with the reason) and open it again, or tick “Skip the rows with problems”.</source>
        <translation>
            <numerusform>还不能导入：%n 行有问题。请在台账里改正（“保存报告…”列出每一行及原因）后重新打开，或勾选“跳过有问题的行”。</numerusform>
        </translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行号</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Rows (the first {0} and those with a problem; {1} in all)</source>
        <translation>各行（前 {0} 行及所有有问题的行，共 {1} 行）</translation>
    </message>
    <message>
        <source>Rows ({0})</source>
        <translation>各行（{0}）</translation>
    </message>
    <message>
        <source>Row {0}: {1}</source>
        <translation>第 {0} 行：{1}</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>In the register</source>
        <translation>登记册中</translation>
    </message>
    <message>
        <source>In the ledger</source>
        <translation>台账中</translation>
    </message>
    <message>
        <source>{0} (row {1})</source>
        <translation>{0}（第 {1} 行）</translation>
    </message>
    <message>
        <source>Differences with the register ({0})</source>
        <translation>与登记册不同之处（{0}）</translation>
    </message>
    <message>
        <source>Report saved: {0}</source>
        <translation>报告已保存：{0}</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <source>Importing the rows…</source>
        <translation>正在导入各行…</translation>
    </message>
</context>
<context>
    <name>PrintDialog</name>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>nothing imported yet</source>
        <translation>还没有导入过</translation>
    </message>
    <message>
        <source>Today, or e.g. 2026-11 or 2026-11-30</source>
        <translation>默认今天，也可写 2026-11 或 2026-11-30</translation>
    </message>
    <message>
        <source>Compact: households run on, not one per page</source>
        <translation>紧凑格式：各户连续排，不是每户一页</translation>
    </message>
    <message>
        <source>Choose font…</source>
        <translation>选择字体…</translation>
    </message>
    <message>
        <source>Printout</source>
        <translation>打印内容</translation>
    </message>
    <message>
        <source>Village code</source>
        <translation>村代码</translation>
    </message>
    <message>
        <source>Period or day</source>
        <translation>时段或日期</translation>
    </message>
    <message>
        <source>Import run</source>
        <translation>导入批次</translation>
    </message>
    <message>
        <source>Chinese font</source>
        <translation>中文字体</translation>
    </message>
    <message>
        <source>Make and preview</source>
        <translation>生成并预览</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Open in PDF viewer</source>
        <translation>用 PDF 阅读器打开</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n 个文件</numerusform>
        </translation>
    </message>
    <message>
        <source>Choose a Chinese TrueType font</source>
        <translation>选择一个中文 TrueType 字体</translation>
    </message>
    <message>
        <source>Fonts (*.ttf *.ttc)</source>
        <translation>字体 (*.ttf *.ttc)</translation>
    </message>
    <message>
        <source>Making the pages…</source>
        <translation>正在生成页面…</translation>
    </message>
    <message>
        <source>Cancelled: no file was made.</source>
        <translation>已取消，没有生成文件。</translation>
    </message>
    <message>
        <source>%1 pages. The first pages are shown below.</source>
        <translation>共 %1 页。下面是前几页。</translation>
    </message>
    <message>
        <source>%1 pages. No page pictures: poppler&apos;s pdftoppm is not installed. Open the file in a PDF viewer to look at it.</source>
        <translation>共 %1 页。本机没有安装 poppler 的 pdftoppm，不能显示页面图片。请用 PDF 阅读器打开文件查看。</translation>
    </message>
    <message>
        <source>Page %1 of %2</source>
        <translation>第 %1 页，共 %2 页</translation>
    </message>
    <message>
        <source>Nothing was printed.</source>
        <translation>没有打印。</translation>
    </message>
    <message>
        <source>Save the PDF</source>
        <translation>保存 PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Could not save the file: %1</source>
        <translation>文件没有保存：%1</translation>
    </message>
    <message>
        <source>Saved: %1</source>
        <translation>已保存：%1</translation>
    </message>
</context>
<context>
    <name>QCalendarWidget</name>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>周</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
    <message>
        <source>Directory</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Computer</source>
        <translation>计算机</translation>
    </message>
</context>
<context>
    <name>RecoveryKeyDialog</name>
    <message>
        <source>Recovery key</source>
        <translation>恢复密钥</translation>
    </message>
    <message>
        <source>This is the register&apos;s recovery key. If a passphrase is forgotten, it sets a new one. It is shown only now: save the sheet and print it, or write the key down, and keep it locked in the office safe.</source>
        <translation>这是登记册的恢复密钥。忘记口令时，用它设置新口令。它只显示这一次：请保存密钥单并打印，或把密钥抄下来，锁在办公室保险柜里。</translation>
    </message>
    <message>
        <source>Save the sheet to print (PDF)…</source>
        <translation>保存密钥单以便打印（PDF）…</translation>
    </message>
    <message>
        <source>The key is kept safe</source>
        <translation>密钥已妥善保管</translation>
    </message>
    <message>
        <source>Save the recovery sheet</source>
        <translation>保存恢复密钥单</translation>
    </message>
    <message>
        <source>The sheet could not be written: {0}</source>
        <translation>密钥单没能保存：{0}</translation>
    </message>
    <message>
        <source>Saved to {0}. Print it, then delete the file.</source>
        <translation>已保存到 {0}。打印后请删除这个文件。</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <source>Restore from a backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <source>Choose a backup. It is checked and shown before anything happens; the register it replaces is kept as a copy beside it.</source>
        <translation>请选择一个备份。恢复前会先检查并显示它的内容；被替换的登记册会另存一份放在旁边。</translation>
    </message>
    <message>
        <source>Another file (e.g. on a USB stick)…</source>
        <translation>其他文件（如U盘上的）…</translation>
    </message>
    <message>
        <source>Restore this backup</source>
        <translation>恢复这个备份</translation>
    </message>
    <message>
        <source>daily</source>
        <translation>每日</translation>
    </message>
    <message>
        <source>on quitting</source>
        <translation>退出时</translation>
    </message>
    <message>
        <source>made by hand</source>
        <translation>手动</translation>
    </message>
    <message>
        <source>before accounts</source>
        <translation>启用账户前</translation>
    </message>
    <message>
        <source>No backups were found beside the register.</source>
        <translation>登记册旁边没有找到备份。</translation>
    </message>
    <message>
        <source>Choose a backup</source>
        <translation>选择备份</translation>
    </message>
    <message>
        <source>Checking the backup…</source>
        <translation>正在检查备份…</translation>
    </message>
    <message>
        <source>Made {0}. Area {1}: {2} households, {3} persons, {4} births. Last change {5}.</source>
        <translation>备份时间 {0}。区划 {1}：{2} 户，{3} 人，出生 {4} 条。最后修改 {5}。</translation>
    </message>
    <message>
        <source>Replace the register with the backup made {0}? Changes made since then are not in it; the register now in use is kept as a copy.</source>
        <translation>用 {0} 的备份替换现在的登记册吗？此后的修改不在备份里；现在的登记册会另存一份。</translation>
    </message>
    <message>
        <source>Restoring the backup…</source>
        <translation>正在恢复备份…</translation>
    </message>
</context>
<context>
    <name>SearchModel</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Born</source>
        <translation>出生</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Household code</source>
        <translation>户编码</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
</context>
<context>
    <name>SendPage</name>
    <message>
        <source>Village</source>
        <translation>村</translation>
    </message>
    <message>
        <source>Laptop</source>
        <translation>电脑</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>记录数</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>After the import and your decisions, make an update bundle for every village laptop. It carries the acknowledgement (the laptop then stops resending what arrived), your corrections and decisions, merges, and persons moved in from elsewhere. Only that laptop can open its file.</source>
        <translation>导入并处理完之后，为每台村电脑生成更新包。更新包带回确认（村电脑就不再重发已收到的修改）、您的更正和决定、合并，以及从别处迁入的人员。每个文件只有对应的那台电脑能打开。</translation>
    </message>
    <message>
        <source>One sub-folder per village</source>
        <translation>每个村一个子文件夹</translation>
    </message>
    <message>
        <source>Make update bundles for all villages…</source>
        <translation>为所有村生成更新包…</translation>
    </message>
    <message>
        <source>Folder for the update bundles</source>
        <translation>更新包的保存文件夹</translation>
    </message>
    <message>
        <source>Making the update bundles…</source>
        <translation>正在生成更新包…</translation>
    </message>
    <message numerus="yes">
        <source>%n update bundle(s) written to {0}.</source>
        <translation>
            <numerusform>已在 {0} 写出 %n 个更新包。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Language / 语言</source>
        <translation>语言 / Language</translation>
    </message>
    <message>
        <source>Lock after idle minutes</source>
        <translation>空闲多少分钟后锁定</translation>
    </message>
    <message>
        <source>Usual ethnicity in this area</source>
        <translation>本地常见民族</translation>
    </message>
    <message>
        <source>Preselected on new persons; leave empty where people differ.</source>
        <translation>新登记人员时预先选中；各民族混居的地方请留空。</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从不</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <source>Building the demo register (invented people only)…</source>
        <translation>正在生成演示登记册（全部为虚构人员）…</translation>
    </message>
    <message>
        <source>The demo register could not be built: {0}</source>
        <translation>演示登记册没有生成：{0}</translation>
    </message>
</context>
<context>
    <name>Tasks</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>TimelineModel</name>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>expected {0}</source>
        <translation>预产期 {0}</translation>
    </message>
    <message>
        <source>Born</source>
        <translation>出生</translation>
    </message>
    <message>
        <source>Died</source>
        <translation>死亡</translation>
    </message>
    <message>
        <source>Married</source>
        <translation>结婚</translation>
    </message>
    <message>
        <source>Divorced</source>
        <translation>离婚</translation>
    </message>
    <message>
        <source>Widowed</source>
        <translation>丧偶</translation>
    </message>
    <message>
        <source>Pregnancy registered</source>
        <translation>怀孕登记</translation>
    </message>
    <message>
        <source>Pregnancy outcome</source>
        <translation>妊娠结局</translation>
    </message>
    <message>
        <source>Gave birth</source>
        <translation>生育</translation>
    </message>
    <message>
        <source>Contraception started</source>
        <translation>开始避孕</translation>
    </message>
    <message>
        <source>Contraception stopped</source>
        <translation>停止避孕</translation>
    </message>
    <message>
        <source>Supplies &amp;handed out</source>
        <translation>药具发放(&amp;H)</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>随访</translation>
    </message>
    <message>
        <source>Hukou transferred in</source>
        <translation>户口迁入</translation>
    </message>
    <message>
        <source>Hukou transferred out</source>
        <translation>户口迁出</translation>
    </message>
    <message>
        <source>Floated out</source>
        <translation>流出</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Floated in</source>
        <translation>流入</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>离开</translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation>证件</translation>
    </message>
</context>
<context>
    <name>TownshipBoard</name>
    <message>
        <source>requested</source>
        <translation>已申请</translation>
    </message>
    <message>
        <source>enrolled</source>
        <translation>已加入</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <source>reported</source>
        <translation>已报送</translation>
    </message>
    <message>
        <source>not due yet</source>
        <translation>未到期</translation>
    </message>
    <message>
        <source>LATE</source>
        <translation>迟报</translation>
    </message>
    <message>
        <source>not enrolled</source>
        <translation>未加入</translation>
    </message>
    <message>
        <source>imported</source>
        <translation>已导入</translation>
    </message>
    <message>
        <source>imported before</source>
        <translation>以前已导入</translation>
    </message>
    <message>
        <source>gap</source>
        <translation>有缺口</translation>
    </message>
    <message>
        <source>fork</source>
        <translation>分叉</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>拒收</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Township</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>Last file</source>
        <translation>最后一个文件</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Missing changes</source>
        <translation>缺少的变更</translation>
    </message>
</context>
<context>
    <name>TrendChart</name>
    <message>
        <source>No data</source>
        <translation>暂无数据</translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <source>Unlock the register</source>
        <translation>解锁登记册</translation>
    </message>
    <message>
        <source>The register was locked because nobody used it for a while. Type the passphrase to go on; nothing you typed was lost.</source>
        <translation>一段时间没有操作，登记册已锁定。输入口令继续；刚才填写的内容都还在。</translation>
    </message>
    <message>
        <source>Type your user name and your own passphrase.</source>
        <translation>请输入用户名和您自己的口令。</translation>
    </message>
    <message>
        <source>Type the passphrase of the register.</source>
        <translation>请输入登记册口令。</translation>
    </message>
    <message>
        <source>Register file</source>
        <translation>登记册文件</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>口令</translation>
    </message>
    <message>
        <source>Restore from a backup…</source>
        <translation>从备份恢复…</translation>
    </message>
    <message>
        <source>Forgot the passphrase…</source>
        <translation>忘了口令…</translation>
    </message>
    <message>
        <source>Type the passphrase first: backups open with it.</source>
        <translation>请先输入口令：备份要用它打开。</translation>
    </message>
    <message>
        <source>The backup is in place. Press OK to open it.</source>
        <translation>备份已恢复。请点“确定”打开。</translation>
    </message>
    <message>
        <source>Type your user name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <source>Type the passphrase.</source>
        <translation>请输入口令。</translation>
    </message>
</context>
<context>
    <name>UnmergeDialog</name>
    <message>
        <source>Undo the merge</source>
        <translation>撤销合并</translation>
    </message>
    <message>
        <source>Undo the merge of {0} into {1} (merged {2} by {3}, because: {4})? Both persons come back as they were before it and their records are pointed back; both villages hear of it in their next update bundle.</source>
        <translation>撤销把 {0} 合并到 {1} 的操作吗？（{2} 由 {3} 合并，理由：{4}）撤销后两个人都恢复到合并前的样子，相关记录也改回原来的人；两个村在下一次更新包里都会收到。</translation>
    </message>
    <message>
        <source>Why is it undone?</source>
        <translation>为什么撤销？</translation>
    </message>
    <message>
        <source>e.g. the mothers differ: two persons</source>
        <translation>例如：母亲不同，是两个人</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>VillageModel</name>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>District</source>
        <translation>区县</translation>
    </message>
    <message>
        <source>Township</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村（居）</translation>
    </message>
</context>
<context>
    <name>VisitForm</name>
    <message>
        <source>Due on</source>
        <translation>应访日期</translation>
    </message>
</context>
<context>
    <name>WindowMenus</name>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Import ledger…</source>
        <translation>导入台账(&amp;I)…</translation>
    </message>
    <message>
        <source>Bring a village&apos;s Excel ledger (households, women, contraception, births) in</source>
        <translation>把本村的 Excel 台账（户籍、育龄妇女、节育措施、出生）导入登记册</translation>
    </message>
    <message>
        <source>&amp;Restore from a backup…</source>
        <translation>从备份恢复(&amp;R)…</translation>
    </message>
    <message>
        <source>Closes the register; the unlock window then restores a backup.</source>
        <translation>先关闭登记册，再在解锁窗口中从备份恢复。</translation>
    </message>
    <message>
        <source>New recovery &amp;key…</source>
        <translation>更换恢复密钥(&amp;K)…</translation>
    </message>
    <message>
        <source>&amp;Records</source>
        <translation>登记(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>查找(&amp;F)…</translation>
    </message>
    <message>
        <source>For this &amp;person</source>
        <translation>为此人登记(&amp;P)</translation>
    </message>
    <message>
        <source>For this h&amp;ousehold</source>
        <translation>为本户登记(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Add a person…</source>
        <translation>添加成员(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Move in…</source>
        <translation>迁入(&amp;M)…</translation>
    </message>
    <message>
        <source>Histor&amp;y of the record shown…</source>
        <translation>当前记录的修改历史(&amp;Y)…</translation>
    </message>
    <message>
        <source>&amp;Print</source>
        <translation>打印(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Household register…</source>
        <translation>户籍登记册(&amp;H)…</translation>
    </message>
    <message>
        <source>&amp;Woman of childbearing age cards…</source>
        <translation>育龄妇女信息卡(&amp;W)…</translation>
    </message>
    <message>
        <source>Monthly &amp;change list…</source>
        <translation>月报告单（变动情况）(&amp;C)…</translation>
    </message>
    <message>
        <source>Visit &amp;round sheet…</source>
        <translation>随访服务单(&amp;R)…</translation>
    </message>
    <message>
        <source>Import r&amp;eceipt…</source>
        <translation>导入回执(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Statistics</source>
        <translation>统计(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Export to Excel…</source>
        <translation>导出 Excel 报表(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Held bundles…</source>
        <translation>暂扣的变更包(&amp;H)…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keyboard…</source>
        <translation>键盘快捷键(&amp;K)…</translation>
    </message>
    <message>
        <source>New recovery key</source>
        <translation>更换恢复密钥</translation>
    </message>
    <message>
        <source>Make a new recovery key? The old key and its printed sheet stop working; the new one is shown once, to print and keep in the office safe.</source>
        <translation>要生成新的恢复密钥吗？旧密钥和已打印的密钥单将失效；新密钥只显示这一次，请打印后锁进办公室保险柜。</translation>
    </message>
</context>
<context>
    <name>WorkListModel</name>
    <message>
        <source>Overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>本周</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>以后</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>应访日期</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>随访</translation>
    </message>
    <message>
        <source>Household</source>
        <translation>户</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) late</source>
        <translation>
            <numerusform>逾期 %n 天</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WorkListPage</name>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Visit type</source>
        <translation>随访类型</translation>
    </message>
    <message>
        <source>Overdue, today and this week</source>
        <translation>逾期、今天和本周</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>本周</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>Reading who is due in every village…</source>
        <translation>正在读取各村到期的随访…</translation>
    </message>
    <message>
        <source>Overdue: {0}   Today: {1}   This week: {2}</source>
        <translation>逾期：{0}   今天：{1}   本周：{2}</translation>
    </message>
</context>
</TS>
