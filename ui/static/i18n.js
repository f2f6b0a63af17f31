// Translations (English and Simplified Chinese) and locale-aware formatting.
// Every string the UI shows goes through t(). Messages from the server are
// English; serverText() translates the ones we know and shows the rest as is.

const LANG_KEY = 'roadshow.lang';

const en = {
  'app.name': 'Roadshow',
  'app.tagline': 'Innovation week talent-project roadshow',
  'skip': 'Skip to content',
  'nav.main': 'Main',
  'nav.applications': 'My applications',
  'nav.dashboard': 'Dashboard',
  'nav.review': 'Applications',
  'nav.users': 'Users',
  'nav.home': 'Home',
  'nav.login': 'Log in',
  'nav.register': 'Register',
  'nav.logout': 'Log out',
  'nav.signedInAs': 'Signed in as {name} ({role})',
  'lang.toggle': '中文',
  'lang.toggleLabel': 'Switch to Chinese (中文)',
  'footer.tz': 'Times are shown in your time zone: {zone}.',

  'role.applicant': 'Applicant',
  'role.judge': 'Judge',
  'role.investor': 'Investor',
  'role.organizer': 'Organizer',

  'status.draft': 'Draft',
  'status.submitted': 'Submitted',
  'status.eligible': 'Eligible',
  'status.ineligible': 'Ineligible',
  'status.withdrawn': 'Withdrawn',

  'stage.idea': 'Idea',
  'stage.prototype': 'Prototype',
  'stage.pilot': 'Pilot',
  'stage.revenue': 'Revenue',
  'stage.scaling': 'Scaling',

  'common.loading': 'Loading…',
  'common.choose': 'Choose…',
  'common.optional': '(optional)',
  'common.none': '—',
  'common.retry': 'Try again',
  'common.counter': '{n} / {max}',
  'common.counterLabel': '{n} of {max} characters',

  'err.network': 'Could not reach the server. Check your connection and try again.',
  'err.generic': 'Something went wrong. Please try again.',
  'err.rateLimited': 'Too many attempts. Try again in {s} seconds.',
  'err.summary': 'Please fix the following:',
  'err.fieldsNeedAttention': 'Some fields need attention.',
  'err.notFoundTitle': 'Not found',
  'err.notFoundText': 'This page does not exist, or you may not see it.',
  'err.loadFailed': 'Could not load this page.',
  'err.sessionExpired': 'Your session has expired. Please log in again.',

  'v.required': 'This field is required.',
  'v.requiredSubmit': 'This field is required to submit.',
  'v.email': 'Enter a valid e-mail address.',
  'v.passwordMin': 'Use at least 10 characters.',
  'v.maxLen': 'Use at most {n} characters.',
  'v.url': 'Use a full http:// or https:// address.',
  'v.name': 'Enter your name.',
  'v.country': 'Choose a country.',
  'v.title': 'Give the project a title.',
  'v.industry': 'Choose one of the nine 1+8 industries.',
  'v.memberName': "Enter the member's name.",
  'v.teamMin': 'Add at least one team member.',
  'v.teamMax': 'List at most 20 members.',
  'v.amount': 'Enter a whole amount between 0 and 1,000,000,000,000.',
  'v.amountNeeded': 'Enter the amount you are asking for.',
  'v.currency': 'Choose a currency such as USD, EUR or CNY.',
  'v.pdf': 'Choose a PDF file.',
  'v.pdfSize': 'The deck is larger than 20 MB.',
  'v.decision': 'Choose eligible or ineligible.',
  'v.role': 'Choose judge, investor or organizer.',

  'login.title': 'Log in',
  'login.intro': 'Log in to follow your applications, or to review them as an organizer.',
  'login.email': 'E-mail',
  'login.password': 'Password',
  'login.submit': 'Log in',
  'login.noAccount': 'New here?',
  'login.registerLink': 'Create an applicant account',

  'register.title': 'Create an applicant account',
  'register.intro': 'Register to apply to the roadshow with your team.',
  'register.email': 'E-mail',
  'register.password': 'Password',
  'register.passwordHelp': 'At least 10 characters.',
  'register.name': 'Your name',
  'register.country': 'Country where you are based',
  'register.submit': 'Create account',
  'register.haveAccount': 'Already registered?',
  'register.loginLink': 'Log in',
  'register.welcome': 'Welcome, {name}!',

  'apps.title': 'My applications',
  'apps.intro': 'Write a draft, upload your pitch deck and submit before the deadline.',
  'apps.new': 'New application',
  'apps.empty': 'You have no applications yet.',
  'apps.col.title': 'Title',
  'apps.col.industry': 'Industry',
  'apps.col.status': 'Status',
  'apps.col.updated': 'Last change',
  'apps.untitled': '(untitled)',
  'apps.loadMore': 'Load more',

  'app.newHeading': 'New application',
  'app.back': 'Back to my applications',
  'app.section.project': 'The project',
  'app.section.base': 'Where the team is based',
  'app.section.team': 'Team',
  'app.section.funding': 'Funding and landing plan',
  'app.section.links': 'Links',
  'app.section.deck': 'Pitch deck',
  'app.title': 'Project title',
  'app.summary': 'Summary',
  'app.summaryHelp': 'What the team does, for whom, and why now.',
  'app.industry': 'Industry (1+8)',
  'app.stage': 'Stage',
  'app.country': "Country of the team's base",
  'app.timezone': 'Time zone',
  'app.timezoneHelp': 'Used to schedule your pitch at a reasonable hour for you.',
  'app.members': 'Team members',
  'app.member': 'Member {n}',
  'app.memberName': 'Name',
  'app.memberRole': 'Role',
  'app.memberNationality': 'Nationality',
  'app.memberBio': 'Short bio',
  'app.addMember': 'Add member',
  'app.remove': 'Remove',
  'app.removeMember': 'Remove member {n}',
  'app.noMembers': 'No team members yet.',
  'app.amount': 'Funding ask',
  'app.amountHelp': 'Whole units, e.g. 500000.',
  'app.currency': 'Currency',
  'app.landing': 'Landing plan',
  'app.landingHelp': 'How the team would set up in the zone.',
  'app.website': 'Website',
  'app.video': 'Video URL',
  'app.urlHelp': 'Optional. A full address starting with https://',
  'app.save': 'Save draft',
  'app.submit': 'Submit application',
  'app.withdraw': 'Withdraw',
  'app.confirmWithdraw': 'Withdraw this application? It will leave the roadshow and cannot be submitted again.',
  'app.saved': 'Draft saved.',
  'app.created': 'Draft created.',
  'app.submitted': 'Application submitted.',
  'app.withdrawn': 'Application withdrawn.',
  'app.readOnly': 'This application is {status}; it can no longer be edited.',
  'app.lastSaved': 'Last saved {time}',
  'app.submittedAt': 'Submitted {time}',
  'app.screening': 'Screening decision',
  'app.screeningNone': 'Not screened yet.',
  'app.screeningAt': 'Decided {time}',
  'app.screeningNote': 'Note: {note}',
  'app.requiredHint': 'Everything except the links is needed to submit; a draft can be saved at any time with a title and an industry.',

  'deck.none': 'No deck uploaded yet.',
  'deck.info': '{size}, uploaded {time}',
  'deck.file': 'Pitch deck (PDF, at most 20 MB)',
  'deck.upload': 'Upload deck',
  'deck.uploading': 'Uploading…',
  'deck.uploaded': 'Deck uploaded.',
  'deck.download': 'Download deck',
  'deck.draftOnly': 'The deck can only be changed while the application is a draft.',

  'dash.title': 'Applications by industry (1+8)',
  'dash.intro': 'Counts per industry and status. Choose a number to see those applications.',
  'dash.total': 'Total',
  'dash.allIndustries': 'All industries',
  'dash.core': 'Core',
  'dash.focus': 'Focus',
  'dash.countLabel': '{industry}, {status}: {n}',
  'dash.totalLabel': '{industry}, all statuses: {n}',

  'review.title': 'Applications',
  'review.filters': 'Filters',
  'review.industry': 'Industry',
  'review.status': 'Status',
  'review.allIndustries': 'All industries',
  'review.allStatuses': 'All statuses',
  'review.col.title': 'Title',
  'review.col.industry': 'Industry',
  'review.col.country': 'Country',
  'review.col.stage': 'Stage',
  'review.col.status': 'Status',
  'review.col.submitted': 'Submitted',
  'review.empty': 'No applications match these filters.',
  'review.loadMore': 'Load more',
  'review.showing': 'Showing {n} applications.',
  'review.showingMore': 'Showing {n} applications; more are available.',
  'review.back': 'Back to the list',

  'detail.summary': 'Summary',
  'detail.industry': 'Industry',
  'detail.stage': 'Stage',
  'detail.country': 'Country',
  'detail.timezone': 'Time zone',
  'detail.team': 'Team',
  'detail.funding': 'Funding ask',
  'detail.landing': 'Landing plan',
  'detail.website': 'Website',
  'detail.video': 'Video',
  'detail.deck': 'Pitch deck',
  'detail.created': 'Created',
  'detail.submitted': 'Submitted',
  'detail.updated': 'Last change',
  'detail.memberLine': '{role} · {nationality}',

  'screen.title': 'Screening',
  'screen.decision': 'Decision',
  'screen.eligible': 'Eligible',
  'screen.ineligible': 'Ineligible',
  'screen.note': 'Note',
  'screen.noteHelp': 'Why; the team can read it.',
  'screen.submit': 'Save decision',
  'screen.saved': 'Decision saved.',
  'screen.notAllowed': 'Only submitted applications can be screened.',
  'screen.current': 'Current decision',

  'users.title': 'Invite a user',
  'users.intro': 'Judges, investors and organizers are invited here; applicants register themselves.',
  'users.email': 'E-mail',
  'users.name': 'Name',
  'users.role': 'Role',
  'users.password': 'Initial password',
  'users.passwordHelp': 'At least 10 characters. Share it with the person securely.',
  'users.generate': 'Generate a password',
  'users.country': 'Country',
  'users.submit': 'Invite',
  'users.invited': '{name} was invited as {role}.',
  'users.invitedList': 'Invited in this session',

  'home.title': 'Welcome, {name}',
  'home.judge': 'The pitch sessions you are assigned to will appear here.',
  'home.investor': 'The pitch sessions you are invited to will appear here.',
  'home.soon': 'Organizers are preparing the sessions; please come back later.',
};

const zh = {
  'app.name': 'Roadshow 路演',
  'app.tagline': '创新周人才项目路演',
  'skip': '跳到主要内容',
  'nav.main': '主导航',
  'nav.applications': '我的申请',
  'nav.dashboard': '概览',
  'nav.review': '申请列表',
  'nav.users': '用户',
  'nav.home': '首页',
  'nav.login': '登录',
  'nav.register': '注册',
  'nav.logout': '退出登录',
  'nav.signedInAs': '当前用户:{name}({role})',
  'lang.toggle': 'EN',
  'lang.toggleLabel': '切换到英文 (English)',
  'footer.tz': '时间按您所在的时区显示:{zone}。',

  'role.applicant': '申请人',
  'role.judge': '评委',
  'role.investor': '投资人',
  'role.organizer': '组织方',

  'status.draft': '草稿',
  'status.submitted': '已提交',
  'status.eligible': '符合条件',
  'status.ineligible': '不符合条件',
  'status.withdrawn': '已撤回',

  'stage.idea': '创意',
  'stage.prototype': '原型',
  'stage.pilot': '试点',
  'stage.revenue': '已有收入',
  'stage.scaling': '规模化',

  'common.loading': '加载中…',
  'common.choose': '请选择…',
  'common.optional': '(选填)',
  'common.none': '—',
  'common.retry': '重试',
  'common.counter': '{n} / {max}',
  'common.counterLabel': '已输入 {n} 个字符,上限 {max}',

  'err.network': '无法连接服务器,请检查网络后重试。',
  'err.generic': '出现错误,请重试。',
  'err.rateLimited': '尝试次数过多,请 {s} 秒后重试。',
  'err.summary': '请修改以下内容:',
  'err.fieldsNeedAttention': '部分字段需要修改。',
  'err.notFoundTitle': '未找到',
  'err.notFoundText': '页面不存在,或您无权查看。',
  'err.loadFailed': '无法加载此页面。',
  'err.sessionExpired': '登录已过期,请重新登录。',

  'v.required': '此项为必填。',
  'v.requiredSubmit': '提交前必须填写此项。',
  'v.email': '请输入有效的电子邮箱地址。',
  'v.passwordMin': '至少使用 10 个字符。',
  'v.maxLen': '最多 {n} 个字符。',
  'v.url': '请输入以 http:// 或 https:// 开头的完整网址。',
  'v.name': '请输入您的姓名。',
  'v.country': '请选择国家或地区。',
  'v.title': '请填写项目名称。',
  'v.industry': '请选择 1+8 产业之一。',
  'v.memberName': '请输入成员姓名。',
  'v.teamMin': '请至少添加一名团队成员。',
  'v.teamMax': '最多填写 20 名成员。',
  'v.amount': '请输入 0 到 1,000,000,000,000 之间的整数金额。',
  'v.amountNeeded': '请输入融资金额。',
  'v.currency': '请选择币种,例如 USD、EUR 或 CNY。',
  'v.pdf': '请选择 PDF 文件。',
  'v.pdfSize': '文件超过 20 MB。',
  'v.decision': '请选择"符合条件"或"不符合条件"。',
  'v.role': '请选择评委、投资人或组织方。',

  'login.title': '登录',
  'login.intro': '登录后可查看您的申请;组织方可在此审核申请。',
  'login.email': '电子邮箱',
  'login.password': '密码',
  'login.submit': '登录',
  'login.noAccount': '还没有账号?',
  'login.registerLink': '注册申请人账号',

  'register.title': '注册申请人账号',
  'register.intro': '注册后即可带领团队申请参加路演。',
  'register.email': '电子邮箱',
  'register.password': '密码',
  'register.passwordHelp': '至少 10 个字符。',
  'register.name': '您的姓名',
  'register.country': '所在国家或地区',
  'register.submit': '创建账号',
  'register.haveAccount': '已有账号?',
  'register.loginLink': '登录',
  'register.welcome': '欢迎,{name}!',

  'apps.title': '我的申请',
  'apps.intro': '填写草稿、上传路演材料,并在截止日期前提交。',
  'apps.new': '新建申请',
  'apps.empty': '您还没有申请。',
  'apps.col.title': '项目名称',
  'apps.col.industry': '产业',
  'apps.col.status': '状态',
  'apps.col.updated': '最近更新',
  'apps.untitled': '(未命名)',
  'apps.loadMore': '加载更多',

  'app.newHeading': '新建申请',
  'app.back': '返回我的申请',
  'app.section.project': '项目',
  'app.section.base': '团队所在地',
  'app.section.team': '团队',
  'app.section.funding': '融资与落地计划',
  'app.section.links': '链接',
  'app.section.deck': '路演材料',
  'app.title': '项目名称',
  'app.summary': '项目简介',
  'app.summaryHelp': '团队做什么、为谁做、为什么是现在。',
  'app.industry': '所属产业(1+8)',
  'app.stage': '发展阶段',
  'app.country': '团队所在国家或地区',
  'app.timezone': '时区',
  'app.timezoneHelp': '用于把您的路演安排在合适的时间。',
  'app.members': '团队成员',
  'app.member': '成员 {n}',
  'app.memberName': '姓名',
  'app.memberRole': '职务',
  'app.memberNationality': '国籍',
  'app.memberBio': '简介',
  'app.addMember': '添加成员',
  'app.remove': '移除',
  'app.removeMember': '移除成员 {n}',
  'app.noMembers': '尚未添加团队成员。',
  'app.amount': '融资需求',
  'app.amountHelp': '以整数填写,例如 500000。',
  'app.currency': '币种',
  'app.landing': '落地计划',
  'app.landingHelp': '团队将如何在园区落地。',
  'app.website': '网站',
  'app.video': '视频链接',
  'app.urlHelp': '选填。以 https:// 开头的完整网址',
  'app.save': '保存草稿',
  'app.submit': '提交申请',
  'app.withdraw': '撤回申请',
  'app.confirmWithdraw': '确定撤回此申请吗?撤回后将退出路演,且不能再次提交。',
  'app.saved': '草稿已保存。',
  'app.created': '草稿已创建。',
  'app.submitted': '申请已提交。',
  'app.withdrawn': '申请已撤回。',
  'app.readOnly': '此申请状态为"{status}",不能再编辑。',
  'app.lastSaved': '最近保存于 {time}',
  'app.submittedAt': '提交于 {time}',
  'app.screening': '初审结果',
  'app.screeningNone': '尚未初审。',
  'app.screeningAt': '决定于 {time}',
  'app.screeningNote': '备注:{note}',
  'app.requiredHint': '除链接外,所有内容都是提交所必需的;草稿只需项目名称和产业即可随时保存。',

  'deck.none': '尚未上传路演材料。',
  'deck.info': '{size},上传于 {time}',
  'deck.file': '路演材料(PDF,不超过 20 MB)',
  'deck.upload': '上传',
  'deck.uploading': '上传中…',
  'deck.uploaded': '路演材料已上传。',
  'deck.download': '下载路演材料',
  'deck.draftOnly': '只有草稿状态的申请才能更换路演材料。',

  'dash.title': '按产业统计申请(1+8)',
  'dash.intro': '按产业和状态统计的申请数量。点击数字查看对应申请。',
  'dash.total': '合计',
  'dash.allIndustries': '全部产业',
  'dash.core': '核心',
  'dash.focus': '重点',
  'dash.countLabel': '{industry},{status}:{n}',
  'dash.totalLabel': '{industry},全部状态:{n}',

  'review.title': '申请列表',
  'review.filters': '筛选',
  'review.industry': '产业',
  'review.status': '状态',
  'review.allIndustries': '全部产业',
  'review.allStatuses': '全部状态',
  'review.col.title': '项目名称',
  'review.col.industry': '产业',
  'review.col.country': '国家或地区',
  'review.col.stage': '阶段',
  'review.col.status': '状态',
  'review.col.submitted': '提交时间',
  'review.empty': '没有符合筛选条件的申请。',
  'review.loadMore': '加载更多',
  'review.showing': '显示 {n} 个申请。',
  'review.showingMore': '显示 {n} 个申请,还有更多。',
  'review.back': '返回列表',

  'detail.summary': '项目简介',
  'detail.industry': '产业',
  'detail.stage': '发展阶段',
  'detail.country': '国家或地区',
  'detail.timezone': '时区',
  'detail.team': '团队',
  'detail.funding': '融资需求',
  'detail.landing': '落地计划',
  'detail.website': '网站',
  'detail.video': '视频',
  'detail.deck': '路演材料',
  'detail.created': '创建时间',
  'detail.submitted': '提交时间',
  'detail.updated': '最近更新',
  'detail.memberLine': '{role} · {nationality}',

  'screen.title': '初审',
  'screen.decision': '结论',
  'screen.eligible': '符合条件',
  'screen.ineligible': '不符合条件',
  'screen.note': '备注',
  'screen.noteHelp': '说明原因;申请团队可以看到。',
  'screen.submit': '保存结论',
  'screen.saved': '结论已保存。',
  'screen.notAllowed': '只有已提交的申请才能初审。',
  'screen.current': '当前结论',

  'users.title': '邀请用户',
  'users.intro': '在此邀请评委、投资人和组织方;申请人自行注册。',
  'users.email': '电子邮箱',
  'users.name': '姓名',
  'users.role': '角色',
  'users.password': '初始密码',
  'users.passwordHelp': '至少 10 个字符。请以安全的方式告知对方。',
  'users.generate': '生成密码',
  'users.country': '国家或地区',
  'users.submit': '邀请',
  'users.invited': '已邀请 {name} 担任{role}。',
  'users.invitedList': '本次已邀请',

  'home.title': '欢迎,{name}',
  'home.judge': '分配给您的路演场次将显示在这里。',
  'home.investor': '邀请您观看的路演场次将显示在这里。',
  'home.soon': '组织方正在安排场次,请稍后再来。',
};

const tables = { en, zh };

// Server messages we know, in Chinese. Unknown ones are shown in English.
const serverZh = {
  'Some fields need attention.': '部分字段需要修改。',
  'The application is not complete.': '申请尚未填写完整。',
  'This field is required to submit.': '提交前必须填写此项。',
  'Add at least one team member.': '请至少添加一名团队成员。',
  'List at most 20 members.': '最多填写 20 名成员。',
  'Wrong e-mail or password.': '电子邮箱或密码错误。',
  'An account with this e-mail already exists.': '该电子邮箱已注册。',
  'This e-mail is already registered.': '该电子邮箱已注册。',
  'Enter a valid e-mail address.': '请输入有效的电子邮箱地址。',
  'Use at least 10 characters.': '至少使用 10 个字符。',
  'Enter your name.': '请输入您的姓名。',
  'Choose a country (ISO 3166-1 code such as DE).': '请选择国家或地区。',
  'Choose one of the nine 1+8 industries.': '请选择 1+8 产业之一。',
  'Give the project a title.': '请填写项目名称。',
  "Enter the member's name.": '请输入成员姓名。',
  'Use a full http:// or https:// address.': '请输入以 http:// 或 https:// 开头的完整网址。',
  'Use an IANA time zone such as Europe/Berlin.': '请选择时区,例如 Europe/Berlin。',
  'Use an ISO 3166-1 country code such as DE.': '请选择国家或地区。',
  'Use an ISO 3166-1 country code such as JP.': '请选择国籍。',
  'Choose idea, prototype, pilot, revenue or scaling.': '请选择发展阶段。',
  'Choose a currency such as USD, EUR or CNY.': '请选择币种,例如 USD、EUR 或 CNY。',
  'Enter an amount between 0 and 1,000,000,000,000.': '请输入 0 到 1,000,000,000,000 之间的金额。',
  'Only drafts can be edited; this application has been submitted or withdrawn.': '只有草稿可以编辑;此申请已提交或已撤回。',
  'This application has already been submitted or withdrawn.': '此申请已提交或已撤回。',
  'This application is already withdrawn.': '此申请已撤回。',
  'Only submitted applications can be screened.': '只有已提交的申请才能初审。',
  'Choose eligible or ineligible.': '请选择"符合条件"或"不符合条件"。',
  'The deck can only be changed while the application is a draft.': '只有草稿状态的申请才能更换路演材料。',
  'The deck must be a PDF file.': '路演材料必须是 PDF 文件。',
  'The deck must be a complete PDF file.': '路演材料必须是完整的 PDF 文件。',
  'This file is not a PDF.': '此文件不是 PDF。',
  'This file is not a complete PDF.': '此文件不是完整的 PDF。',
  'The deck is empty.': '文件为空。',
  'Choose a PDF file.': '请选择 PDF 文件。',
  'Send the PDF with Content-Type: application/pdf.': '请以 PDF 格式上传。',
  'Application not found.': '未找到该申请。',
  'No pitch deck has been uploaded.': '尚未上传路演材料。',
  'Your session is invalid or has expired. Please log in again.': '登录已失效或已过期,请重新登录。',
  'Log in first.': '请先登录。',
  'Your account no longer exists.': '您的账号已不存在。',
  'Internal error.': '服务器内部错误。',
  'Choose judge, investor or organizer; applicants register themselves.': '请选择评委、投资人或组织方;申请人需自行注册。',
  'Choose applicant, judge, investor or organizer.': '请选择角色。',
  'Only applicants can create applications.': '只有申请人可以创建申请。',
  'Unknown industry code.': '未知的产业代码。',
  'Unknown status.': '未知的状态。',
  'This field is not accepted.': '不接受此字段。',
};

const serverZhPatterns = [
  [/^Use at most (\d+) characters\.$/, (m) => `最多 ${m[1]} 个字符。`],
  [/^At most (\d+) characters\.$/, (m) => `最多 ${m[1]} 个字符。`],
  [/^Too many log-in attempts\. Try again in (\d+) seconds\.$/, (m) => `登录尝试次数过多,请 ${m[1]} 秒后重试。`],
  [/^This application has already been (\w+)\.$/, (m) => `此申请已处于"${t('status.' + m[1])}"状态。`],
  [/^The application is (\w+)\.$/, (m) => `此申请状态为"${t('status.' + m[1])}"。`],
  [/^The application deadline \((.+)\) has passed\.$/, (m) => `申请截止时间(${formatDateTime(m[1]) || m[1]})已过。`],
  [/^The deck is larger than (\d+) MB\.$/, (m) => `文件超过 ${m[1]} MB。`],
  [/^The request body is larger than (\d+) KB\.$/, (m) => `请求内容超过 ${m[1]} KB。`],
  [/^Your role \((\w+)\) may not do this\.$/, (m) => `您的角色(${t('role.' + m[1])})无权执行此操作。`],
];

function initialLang() {
  let saved = null;
  try { saved = localStorage.getItem(LANG_KEY); } catch { /* storage disabled */ }
  if (saved === 'en' || saved === 'zh') return saved;
  const nav = (navigator.languages && navigator.languages[0]) || navigator.language || 'en';
  return nav.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

let lang = initialLang();

/** The current language: "en" or "zh". */
export function getLang() { return lang; }

/** The BCP 47 locale for Intl formatting. */
export function locale() { return lang === 'zh' ? 'zh-CN' : 'en'; }

/** Sets and remembers the language and marks the document with it. */
export function setLang(l) {
  lang = l === 'zh' ? 'zh' : 'en';
  try { localStorage.setItem(LANG_KEY, lang); } catch { /* storage disabled */ }
  applyLang();
}

/** Marks <html lang> and <body data-lang> with the current language. */
export function applyLang() {
  document.documentElement.lang = lang === 'zh' ? 'zh-Hans' : 'en';
  document.body.dataset.lang = lang;
}

/** Translates key, replacing {name} placeholders with params. */
export function t(key, params) {
  let s = Object.hasOwn(tables[lang], key) ? tables[lang][key] : undefined;
  if (s === undefined && Object.hasOwn(en, key)) s = en[key];
  if (s === undefined) return key;
  if (params) {
    s = s.replace(/\{(\w+)\}/g, (all, name) => (params[name] === undefined ? all : String(params[name])));
  }
  return s;
}

/** Translates a message the server wrote in English, when we know it. */
export function serverText(msg) {
  if (!msg || lang !== 'zh') return msg || '';
  if (serverZh[msg]) return serverZh[msg];
  for (const [re, fn] of serverZhPatterns) {
    const m = re.exec(msg);
    if (m) return fn(m);
  }
  return msg;
}

let regionNames = null;
let regionLang = null;
/** The localized name of an ISO 3166-1 alpha-2 code. */
export function countryName(code) {
  if (!code) return '';
  try {
    if (regionLang !== lang) {
      regionNames = new Intl.DisplayNames([locale()], { type: 'region' });
      regionLang = lang;
    }
    return regionNames.of(code) || code;
  } catch {
    return code;
  }
}

let currencyNames = null;
let currencyLang = null;
/** The localized name of an ISO 4217 currency code. */
export function currencyName(code) {
  if (!code) return '';
  try {
    if (currencyLang !== lang) {
      currencyNames = new Intl.DisplayNames([locale()], { type: 'currency' });
      currencyLang = lang;
    }
    return currencyNames.of(code) || code;
  } catch {
    return code;
  }
}

/** The name of an industry object {code, nameEn, nameZh} in the current language. */
export function industryName(ind) {
  if (!ind) return '';
  return (lang === 'zh' ? ind.nameZh : ind.nameEn) || ind.nameEn || ind.code;
}

/** The viewer's IANA time zone. */
export function timeZone() {
  try { return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'; } catch { return 'UTC'; }
}

/** Formats an ISO time in the viewer's time zone, with the zone's name. */
export function formatDateTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(locale(), {
    year: 'numeric', month: 'short', day: 'numeric',
    hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
  }).format(d);
}

/** Formats a whole number. */
export function formatNumber(n) {
  return new Intl.NumberFormat(locale()).format(n);
}

/** Formats an amount of money in a currency. */
export function formatMoney(amount, currency) {
  try {
    return new Intl.NumberFormat(locale(), { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);
  } catch {
    return `${formatNumber(amount)} ${currency}`;
  }
}

/** Formats a size in bytes as KB or MB. */
export function formatBytes(n) {
  if (n < 1024) return `${formatNumber(n)} B`;
  const nf = new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 });
  if (n < 1024 * 1024) return `${nf.format(n / 1024)} KB`;
  return `${nf.format(n / (1024 * 1024))} MB`;
}

/** A collator for sorting names in the current language. */
export function collator() {
  return new Intl.Collator(locale());
}
