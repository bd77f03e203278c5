"""UI strings of the terminal wizard in Chinese and English (field labels: wizard.labels)."""

from __future__ import annotations

import string
from typing import Any

STRINGS: dict[str, tuple[str, str]] = {
    "app.title": ("申报书向导", "Application wizard"),
    # keys
    "key.new": ("新建", "New"),
    "key.open": ("打开", "Open"),
    "key.duplicate": ("复制", "Duplicate"),
    "key.rename": ("重命名", "Rename"),
    "key.delete": ("删除", "Delete"),
    "key.quit": ("退出", "Quit"),
    "key.lang": ("English", "中文"),
    "key.refresh": ("刷新", "Refresh"),
    "key.prev": ("上一节", "Prev section"),
    "key.next": ("下一节", "Next section"),
    "key.save": ("保存", "Save"),
    "key.help": ("帮助", "Help"),
    "key.clause": ("条款", "Clause"),
    "key.scope": ("本节/全部", "This/all"),
    "key.back": ("返回", "Back"),
    "key.problems": ("问题列表", "Problems"),
    "key.choose": ("选择", "Choose"),
    "key.cancel": ("取消", "Cancel"),
    "key.palette": ("命令", "Commands"),
    # -- the command palette, Textual's own commands and keys, punctuation (issue 10) --------
    "key.dismiss": ("关闭列表", "Close list"),
    "key.quit_all": ("退出向导", "Quit"),
    "palette.placeholder": ("搜索命令…", "Search for commands…"),
    "palette.none": ("没有匹配的命令（Esc 关闭）", "No command matches (Esc closes)"),
    "sys.quit": ("退出", "Quit"),
    "sys.quit_help": ("保存所有修改后退出向导", "Save every change and leave the wizard"),
    "sys.keys": ("按键一览", "Keys"),
    "sys.keys_help": ("列出本屏幕可用的按键", "List the keys of this screen"),
    "sys.maximize": ("最大化", "Maximize"),
    "sys.maximize_help": (
        "把当前输入框放大到整个屏幕（Esc 还原）",
        "Show the focused field on the whole screen (Esc restores it)",
    ),
    "sys.minimize": ("还原", "Minimize"),
    "sys.minimize_help": ("把放大的输入框还原", "Put the maximized field back"),
    "sys.screenshot": ("截图", "Screenshot"),
    "sys.screenshot_help": (
        "把当前屏幕保存为 SVG 图片（放在草稿文件夹）",
        "Save the screen as an SVG picture (in the drafts folder)",
    ),
    "sys.screenshot_saved": ("已保存截图：{path}", "Screenshot saved: {path}"),
    "sys.theme_light": ("浅色主题", "Light theme"),
    "sys.theme_dark": ("深色主题", "Dark theme"),
    "sys.theme_help": ("切换界面配色", "Change the colours"),
    "keys.title": ("按键一览", "Keys"),
    "keys.focus_next": ("下一项", "Next field"),
    "keys.focus_previous": ("上一项", "Previous field"),
    "keys.copy": ("复制所选文字", "Copy the selected text"),
    "colon": ("：", ": "),
    # the drafts home's column names where the screen is narrow
    "home.col_short.direction": ("方向", "Dir."),
    "home.col_short.saved": ("保存于", "Saved"),
    "home.col_short.problems": ("错/警", "Err/warn"),
    "home.col_short.complete": ("完成", "Done"),
    # home
    "home.title": ("申报书草稿", "Drafts"),
    "home.col.title": ("项目名称", "Title"),
    "home.col.direction": ("方向", "Direction"),
    "home.col.saved": ("最后保存", "Last saved"),
    "home.col.problems": ("错误/警告", "Errors/warnings"),
    "home.col.complete": ("完成度", "Complete"),
    "home.col.status": ("状态", "Status"),
    "home.col.file": ("文件", "File"),
    "home.empty": (
        "草稿文件夹中还没有草稿：按 n 新建。",
        "No drafts in the folder yet: press n to start one.",
    ),
    "home.folder": ("草稿文件夹：{path}", "Drafts folder: {path}"),
    "home.unreadable": ("无法读取", "unreadable"),
    "home.untitled": ("（未命名）", "(untitled)"),
    "home.cannot_open": ("无法打开：{error}", "Cannot open: {error}"),
    "review.export": ("导出摘要", "Export summary"),
    "review.exported": (
        "已导出：{files}（与草稿同一文件夹）",
        "Exported: {files} (beside the draft)",
    ),
    "home.cannot_open_title": (
        "无法打开此草稿（文件未作任何改动）",
        "Cannot open this draft (the file was left untouched)",
    ),
    "home.confirm_delete": (
        "将草稿“{name}”移入回收站（{trash}）？文件不会被删除。",
        "Move the draft '{name}' to the trash ({trash})? The file is not deleted.",
    ),
    "home.deleted": ("已移入回收站：{path}", "Moved to the trash: {path}"),
    "home.renamed": ("已重命名为：{path}", "Renamed to: {path}"),
    "home.duplicated": ("已复制为：{path}", "Duplicated as: {path}"),
    "home.rename_prompt": ("新的文件名（不含 .toml）：", "New file name (without .toml):"),
    "home.locked": (
        "“{name}”正在被 {who} 编辑：请先在那里关闭。",
        "'{name}' is open in {who}: close it there first.",
    ),
    "home.failed": ("操作失败：{error}", "Failed: {error}"),
    "status.draft": ("草稿", "draft"),
    "status.ready": ("可提交", "ready"),
    # picker
    "picker.title": ("选择指南方向", "Choose a guide direction"),
    "picker.filter": (
        "输入筛选：编号、中文或英文名称",
        "Type to filter: code, Chinese or English name",
    ),
    "picker.none": ("没有匹配的方向", "No direction matches"),
    "picker.agreements": ("合作协议", "Agreements"),
    "picker.partner": ("合作方", "Partner"),
    "picker.fields": ("领域方向", "Fields"),
    "picker.projects": ("拟支持项目数", "Projects"),
    "picker.funding": ("拟支持经费", "Funding"),
    "picker.period": ("执行期", "Period"),
    "picker.agency": ("外方申报部门", "Partner agency"),
    "picker.requirements": ("要求", "Requirements"),
    "picker.h2020": ("须关联地平线2020项目", "Linked to a Horizon 2020 proposal"),
    "kind.rule": ("自动检查", "checked"),
    "kind.attestation": ("须承诺", "attest"),
    "kind.info": ("提示", "info"),
    "picker.switch_title": ("切换方向到 {code}？", "Switch the direction to {code}?"),
    "picker.switch_nochange": ("草稿中的数据不受影响。", "Nothing in the draft changes."),
    "switch.field": (
        "领域方向“{value}”不属于新方向，将被清空。",
        "The field '{value}' is not one of the new direction's and will be cleared.",
    ),
    "switch.topic": (
        "具体方向“{value}”不属于新方向，将被清空。",
        "The topic '{value}' is not valid in the new direction and will be cleared.",
    ),
    "switch.h2020": (
        "新方向不关联地平线2020：地平线2020一节及其数据将被删除。",
        "The new direction has no Horizon 2020 link: that section and its data are dropped.",
    ),
    "switch.h2020_new": (
        "新方向须关联地平线2020项目：将出现“地平线2020”一节。",
        "The new direction needs a Horizon 2020 proposal: a Horizon 2020 section appears.",
    ),
    "switch.attest": (
        "{count} 项承诺不适用于新方向，将被移除。",
        "{count} {count:plural:attestation does|attestations do} not apply to the new "
        "direction and {count:plural:is|are} removed.",
    ),
    "switch.partner": (
        "外方国家“{value}”与新方向的合作方“{partner}”不同，请随后修改。",
        "The partner country '{value}' differs from the new partner '{partner}': edit it next.",
    ),
    "switch.budget": (
        "预算合计 {total} 万元超过新方向的拟支持经费 {cap} 万元。",
        "The budget total {total} exceeds the new direction's funding of {cap} (10k CNY).",
    ),
    "switch.ready": ("状态将改回“草稿”。", "The status goes back to 'draft'."),
    "switched": ("已切换到方向 {code}", "Switched to direction {code}"),
    # dialogs
    "yes": ("确定", "OK"),
    "no": ("取消", "Cancel"),
    "close": ("关闭", "Close"),
    # editor
    "ed.saved_at": ("已保存 {time}", "Saved {time}"),
    "ed.unsaved": ("未保存的修改…", "Unsaved changes…"),
    "ed.saving": ("正在保存…", "Saving…"),
    "ed.save_failed": ("保存失败：{error}", "Save failed: {error}"),
    "ed.never_saved": ("尚未保存", "not saved yet"),
    "ed.counts": (
        "错误 {error} · 警告 {warning} · 提示 {info}",
        "{error} {error:plural:error|errors} · {warning} {warning:plural:warning|warnings} · "
        "{info} info",
    ),
    "ed.complete": ("完成 {percent}%", "{percent}% complete"),
    "ed.sections": ("栏目", "Sections"),
    "ed.problems": ("问题", "Problems"),
    "ed.problems_here": ("本节问题 {n} / 全部 {total}", "This section {n} / all {total}"),
    "ed.problems_checking": ("本节问题 · 检查中…", "This section · checking…"),
    "ed.checking": ("检查中…", "Checking…"),
    "ed.problems_all": ("全部问题 {total}", "All problems {total}"),
    "ed.no_problems": ("本节没有问题。", "No problems in this section."),
    "ed.no_problems_all": ("没有问题。", "No problems."),
    "ed.fix": ("处理方法：", "How to fix: "),
    "ed.clause": ("指南条款", "Guide clause"),
    "ed.clause_hint": ("按 F3 显示指南条款", "F3 shows the guide clause"),
    "ed.back_to_draft": ("已修改：状态改回“草稿”。", "Edited: the status is back to 'draft'."),
    "ed.field_error.money": (
        "无法识别的金额：请填写数字，如 12.5（万元）。",
        "Not an amount: type a number such as 12.5 (10k CNY).",
    ),
    "ed.field_error.int": ("请填写整数。", "Type a whole number."),
    "ed.field_error.date": ("日期格式为 YYYY-MM-DD。", "Dates are written YYYY-MM-DD."),
    "ed.field_error.range": ("数值超出允许范围。", "The number is out of range."),
    "ed.help_title": ("帮助：{label}", "Help: {label}"),
    "ed.help_none": ("此项没有更多说明。", "No more help for this entry."),
    "ed.help_keys": (
        "F7/F8 或 Ctrl+PgUp/PgDn 切换栏目 · Tab 下一项 · F1 帮助 · F2 English · F3 条款 · "
        "F4 本节/全部问题 · F9 转到问题列表 · Ctrl+Z/Ctrl+Y 撤销/重做 · Ctrl+S 保存 · "
        "Ctrl+P 命令 · Esc 返回草稿列表",
        "F7/F8 or Ctrl+PgUp/PgDn change section · Tab next entry · F1 help · F2 中文 · "
        "F3 clause · F4 this/all problems · F9 go to problems · Ctrl+Z/Ctrl+Y undo/redo · "
        "Ctrl+S save · Ctrl+P commands · Esc back to drafts",
    ),
    "ed.related": ("相关问题", "Related problems"),
    # forms
    "form.add": ("添加", "Add"),
    "form.remove": ("删除", "Remove"),
    "form.up": ("上移", "Up"),
    "form.down": ("下移", "Down"),
    "form.make_lead": ("设为牵头单位", "Make lead"),
    "form.units": ("中方单位（★ 为牵头单位）", "Chinese units (★ lead unit)"),
    "form.leader": ("负责人信息", "About the project leader"),
    "form.unit_detail": ("所选单位：", "Selected unit: "),
    "form.no_units": ("尚无单位：按“添加”。", "No unit yet: press Add."),
    "form.institutions": ("外方合作单位", "Partner institutions"),
    "form.no_institutions": ("尚无外方单位：按“添加”。", "No institution yet: press Add."),
    "form.unnamed": ("（未填写名称）", "(no name yet)"),
    "form.choose": ("请选择", "Choose"),
    "form.any_field": ("本方向不限领域：请直接填写。", "Any field is accepted here: type it."),
    "form.priority_field": (
        "优先领域：{items}（也可填写其他领域）",
        "Priority fields: {items} (others allowed)",
    ),
    "form.no_topics": ("此领域没有具体方向。", "This field has no sub-topics."),
    "form.fill_participants": ("从中方单位填入", "Fill from the units"),
    "form.h2020_intro": (
        "本方向须关联地平线2020项目：填写对应的地平线2020申请。",
        "This direction is linked to Horizon 2020: describe the matching H2020 proposal.",
    ),
    "form.no_enterprises": (
        "尚无企业单位。在“中方单位与负责人”中把单位性质设为“企业”后，在此填写经费与配套。",
        "No enterprise yet. Set a unit's kind to Enterprise under Chinese units; then fill its "
        "funding and matching here.",
    ),
    "form.enterprises": ("企业单位", "Enterprise units"),
    "form.matching_ratio": (
        "配套 {matching} / 资助 {funding}（{ratio}）",
        "matching {matching} / funding {funding} ({ratio})",
    ),
    "form.budget_direct": ("直接费用", "Direct costs"),
    "form.budget_total": ("合计", "Total"),
    "form.budget_units": ("各单位中央财政经费合计", "Units' central funding"),
    "form.budget_diff": ("与申请经费相差", "Difference to the request"),
    "form.budget_avg": ("本方向平均每项", "Direction average per project"),
    "form.budget_cap": ("本方向拟支持经费", "Direction funding in all"),
    "form.budget_request": ("申请经费", "Request"),
    "form.budget_unit": ("万元", "10k CNY"),
    "form.attest_intro": (
        "以下条款无法由数据检查：核实属实后逐项勾选。",
        "These clauses cannot be checked from data: tick each once it is true.",
    ),
    "form.attest_confirm": ("属实", "Confirmed"),
    "form.attest_none": ("本方向没有需要承诺的条款。", "This direction has no attestations."),
    # v2 sections (issue 15: project, partner, targets, plan, narrative, attachments)
    "form.recommender": ("推荐单位与项目联系人", "Recommending body and contact"),
    "form.end": (
        "结束日期：{end}（共 {years} 个年度）",
        "Ends on {end} ({years} project {years:plural:year|years})",
    ),
    "form.end_unknown": (
        "结束日期：填写开始日期和执行期后自动得出",
        "End date: follows from the start and the period",
    ),
    "form.counts": (
        "课题 {tasks} 个 · 中方单位 {units} 家",
        "{tasks} {tasks:plural:task|tasks} · {units} Chinese {units:plural:unit|units}",
    ),
    "form.partner_lead": ("外方项目负责人", "The partner's principal investigator"),
    "form.duplicate": ("复制", "Duplicate"),
    "form.targets": ("考核指标", "Targets"),
    "form.no_targets": ("尚无考核指标：按“添加”。", "No target yet: press Add."),
    "form.target_detail": ("所选指标：", "Selected target: "),
    "form.task_option": ("课题{n} {name}", "Task {n} {name}"),
    "form.plan_intro": (
        "每个项目年度一行（第1年为开始之年），由开始日期和执行期得出。",
        "One row per project year (year 1 is the year the project starts), from the start and the period.",
    ),
    "form.plan_unknown": (
        "先在“项目信息”中填写开始日期和执行期，这里就会列出各年度。",
        "Fill in the start and the period under Project: the years are listed here.",
    ),
    "form.plan_year": ("第{n}年 {start} – {end}", "Year {n} {start} – {end}"),
    "form.plan_outside": (
        "第{n}年（不在执行期内：请移入期内年度或删除内容）",
        "Year {n} (outside the period: move its text into a year of the period or clear it)",
    ),
    "form.plan_extra": (
        "第{n}年的另一条进度安排（请并入该年度）",
        "Another entry for year {n} (merge it into that year)",
    ),
    "form.plan_no_year": (
        "未标年度的进度安排（请移入某一年度）",
        "Schedule entry without a year (move it into a year)",
    ),
    "form.narrative_intro": (
        "申报书正文各部分；有结构化数据的部分在对应栏目中填写。",
        "The parts of the application text; parts with structured data are filled in their own sections.",
    ),
    "form.narrative_held": ("{part} → 见“{section}”一节", "{part} → see the {section} section"),
    "form.chars": ("{n} 字", "{n} {n:plural:character|characters}"),
    "form.attach_intro": (
        "本方向要求的附件。文件路径相对于草稿所在文件夹：{folder}",
        "The attachments this direction requires. Paths are relative to the draft's folder: {folder}",
    ),
    "form.attach_none": ("本方向不要求附件。", "This direction requires no attachment."),
    "form.attach": ("附加", "Attach"),
    "form.browse": ("选择文件…", "Browse…"),
    "form.attach_clause": ("依据：{clause}", "Required by: {clause}"),
    "form.attach_empty": ("未附加", "Not attached"),
    "form.attach_pending": (
        "未附加：按“附加”读取文件",
        "Not attached yet: press Attach to read the file",
    ),
    "form.attach_checking": ("正在读取文件…", "Reading the file…"),
    "form.attach_ok": ("✓ 未改动 · {size} · SHA-256 {sha}", "✓ unchanged · {size} · SHA-256 {sha}"),
    "form.attach_changed": (
        "✗ 附加后文件已改动（{size}）：请重新附加",
        "✗ changed since attached ({size}): attach it again",
    ),
    "form.attach_missing": ("✗ 找不到文件", "✗ file missing"),
    "form.attach_outside": (
        "✗ 路径在草稿文件夹之外：只能附加草稿文件夹内的文件",
        "✗ outside the draft's folder: only files inside it can be attached",
    ),
    "form.attach_not_regular": ("✗ 不是普通文件", "✗ not a regular file"),
    "form.attach_unreadable": ("✗ 无法读取：{detail}", "✗ cannot read: {detail}"),
    "form.attach_too_large": ("✗ 文件过大（{size}）", "✗ file too large ({size})"),
    "form.attach_na": ("已标记为不适用", "Marked not applicable"),
    "form.attached": ("已附加：{name}（{size}）", "Attached: {name} ({size})"),
    "form.attach_refused": ("未附加 {name}：{why}", "{name} not attached: {why}"),
    "form.pick_title": ("选择附件文件（{folder}）", "Choose the file ({folder})"),
    "form.pick_hint": (
        "Enter 选择文件 · Esc 取消 · 只能选择本文件夹内的文件",
        "Enter chooses a file · Esc cancels · only files in this folder",
    ),
    "review.title": ("检查与定稿", "Review"),
    "review.complete": ("各栏目完成度", "Completeness by section"),
    "review.attest": ("承诺事项：{done}/{total} 已勾选", "Attestations: {done}/{total} ticked"),
    "review.mark_ready": ("标记为可提交", "Mark ready"),
    "review.ready": ("已标记为可提交。", "Marked ready."),
    "review.not_ready": (
        "还有 {n} 个错误：改正后才能标记为可提交。",
        "{n} {n:plural:error|errors} left: fix {n:plural:it|them} before marking the draft ready.",
    ),
    "review.status": ("状态：{status}", "Status: {status}"),
    "review.none": ("没有问题。", "No problems."),
    "review.back_draft": ("改回草稿", "Back to draft"),
    # commands
    "cmd.goto": ("转到：{section}", "Go to: {section}"),
    "cmd.check": ("立即检查", "Check now"),
    "cmd.check_help": ("重新检查草稿并刷新问题列表", "Re-check the draft and refresh the problems"),
    "cmd.lang": ("切换语言（中文/English）", "Switch language (中文/English)"),
    "cmd.direction": ("切换指南方向", "Switch direction"),
    "cmd.ready": ("标记为可提交", "Mark ready"),
    "cmd.save": ("保存", "Save"),
    "cmd.home": ("返回草稿列表", "Back to the drafts"),
    "checked": ("检查完成：{counts}", "Checked: {counts}"),
    # undo / redo (editor)
    "key.undo": ("撤销", "Undo"),
    "key.redo": ("重做", "Redo"),
    "cmd.undo": ("撤销上一次修改", "Undo the last change"),
    "cmd.redo": ("重做", "Redo"),
    "ed.undone": ("已撤销：{what}（Ctrl+Y 重做）", "Undone: {what} (Ctrl+Y to redo)"),
    "ed.redone": ("已重做：{what}", "Redone: {what}"),
    "ed.nothing_to_undo": ("本次没有可撤销的修改。", "Nothing to undo in this session."),
    "ed.nothing_to_redo": ("没有可重做的修改。", "Nothing to redo."),
    "form.removed": ("已删除：{name}。按 Ctrl+Z 撤销。", "Removed: {name}. Ctrl+Z to undo."),
    # saving: failed saves, conflicts, recovery copies (issue 11)
    "ed.conflict_short": ("文件已在别处被修改，未保存", "file changed elsewhere; not saved"),
    "ed.lock_lost": (
        "草稿的锁文件被删除，{who} 已打开此草稿：保存前会检查文件是否被改动。",
        "The draft's lock file was deleted and {who} has the draft open: every save checks the file first.",
    ),
    "ed.lock_renewed": (
        "草稿的锁文件被删除，已重新加锁。",
        "The draft's lock file was deleted; locked again.",
    ),
    "ed.copy_failed": ("无法写入副本：{error}", "Cannot write the copy: {error}"),
    "ed.kept_mine": (
        "已保留您的版本；文件中的版本另存为 {copy}",
        "Kept your version; the file's version is saved as {copy}",
    ),
    "ed.took_theirs": (
        "已采用文件中的版本；您的版本另存为 {copy}",
        "Took the file's version; yours is saved as {copy}",
    ),
    "ed.merged": (
        "已合并；文件原来的版本另存为 {copy}",
        "Merged; the file's previous version is saved as {copy}",
    ),
    "ed.elsewhere_prompt": ("另存为（完整路径）：", "Save as (full path):"),
    "ed.elsewhere_exists": (
        "{path} 已存在：不会覆盖，请换一个名称。",
        "{path} exists: not overwritten; choose another name.",
    ),
    "ed.elsewhere_failed": ("另存失败：{error}", "Saving there failed: {error}"),
    "ed.saved_elsewhere": ("草稿已另存为：{path}", "The draft was saved as: {path}"),
    "ed.rescued": (
        "“{name}”无法保存，内容已写入恢复副本：{path}（下次启动时可恢复）",
        "'{name}' could not be saved; its text is in a recovery copy: {path} (offered at the next start)",
    ),
    "ed.rescue_failed": (
        "“{name}”无法保存，恢复副本也无法写入（{error}）：未保存的内容已丢失。",
        "'{name}' could not be saved, nor a recovery copy ({error}): the unsaved text is lost.",
    ),
    "save.failed_title": ("草稿尚未保存", "The draft is not saved"),
    "save.failed_body": (
        "“{name}”无法保存：{error}\n\n离开前请选择：重试；另存到其他位置；或写入恢复副本（下次启动时提供恢复）。按 Esc 留在编辑器中。",
        "'{name}' cannot be saved: {error}\n\nBefore leaving, choose: retry; save it elsewhere; or write a recovery copy (offered at the next start). Escape stays in the editor.",
    ),
    "save.conflict_body": (
        "“{name}”在打开后被其他程序修改，尚未保存您的修改。\n\n请先处理冲突，或另存到其他位置，或写入恢复副本。按 Esc 留在编辑器中。",
        "'{name}' was changed by another program since it was opened; your changes are not saved.\n\nResolve the conflict, save elsewhere, or write a recovery copy. Escape stays in the editor.",
    ),
    "save.retry": ("重试", "Retry"),
    "save.resolve": ("处理冲突", "Resolve"),
    "save.elsewhere": ("另存为…", "Save as…"),
    "save.recovery": ("写入恢复副本", "Recovery copy"),
    "save.stay": ("留下", "Stay"),
    "conflict.title": ("文件已在别处被修改", "The file was changed elsewhere"),
    "conflict.body": (
        "“{name}”在打开后被其他程序（文本编辑器、另一个向导…）修改。未覆盖任何内容。不同之处：",
        "'{name}' was changed by another program (a text editor, a second wizard…) since it was opened. Nothing was overwritten. Where they differ:",
    ),
    "conflict.unreadable": (
        "文件现在无法读取为草稿：只能保留您的版本（文件另存为副本）。",
        "The file cannot be read as a draft now: only your version can be kept (the file is copied beside it).",
    ),
    "conflict.mine": ("我的", "mine"),
    "conflict.theirs": ("文件", "file"),
    "conflict.more": ("……还有 {n} 处不同", "… and {n} more"),
    "conflict.same": ("（内容相同，只是文件被重写）", "(same content; the file was rewritten)"),
    "conflict.keep": ("保留我的", "Keep mine"),
    "conflict.take": ("采用文件的", "Take the file's"),
    "conflict.merge": ("逐项合并…", "Merge…"),
    "conflict.later": ("稍后", "Later"),
    "merge.title": ("逐项合并", "Merge field by field"),
    "merge.hint": (
        "勾选的字段采用文件中的值（空格键勾选），其余保留我的。",
        "Ticked fields take the file's value (space to tick); the rest keep mine.",
    ),
    "merge.apply": ("合并", "Merge"),
    "recovery.title": ("找到恢复副本", "A recovery copy was found"),
    "recovery.body": (
        "上次未能保存的草稿“{original}”（{saved}）保存在恢复副本中：\n{path}\n\n恢复：作为新草稿放入 {folder}；丢弃：删除此副本。",
        "A draft that could not be saved last time, '{original}' ({saved}), is in a recovery copy:\n{path}\n\nRestore: put it in {folder} as a new draft; Discard: delete the copy.",
    ),
    "recovery.restore": ("恢复", "Restore"),
    "recovery.discard": ("丢弃", "Discard"),
    "recovery.later": ("稍后", "Later"),
    "recovery.restored": ("已恢复为：{path}", "Restored as: {path}"),
    "recovery.failed": ("无法恢复：{error}", "Cannot restore: {error}"),
}


class _Formatter(string.Formatter):
    """str.format, plus English plural forms: `{n} {n:plural:error|errors}`."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        if format_spec.startswith("plural:"):
            one, _, many = format_spec.removeprefix("plural:").partition("|")
            return one if value == 1 else many
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


def t(key: str, lang: str, **kw: object) -> str:
    zh, en = STRINGS[key]
    text = en if lang == "en" else zh
    return _FORMATTER.format(text, **kw) if kw else text
