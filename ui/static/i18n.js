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
  'v.emailTaken': 'This e-mail is already registered.',

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
  'deck.choose': 'Choose a PDF…',
  'deck.noFile': 'No file chosen.',
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

  'nav.sessions': 'Sessions',
  'nav.judgeSessions': 'My sessions',
  'nav.investorSessions': 'My sessions',
  'nav.mySessions': 'My pitch',
  'nav.edition': 'Edition',

  'state.scheduled': 'Scheduled',
  'state.live': 'Live',
  'state.ended': 'Ended',
  'state.cancelled': 'Cancelled',

  'sess.title': 'Pitch sessions',
  'sess.intro': 'The schedule per 1+8 industry, in Dalian time with each team\'s local time beside it.',
  'sess.judgeTitle': 'My sessions',
  'sess.judgeIntro': 'The sessions you judge. Open one to read the applications and score the pitches.',
  'sess.investorTitle': 'My sessions',
  'sess.investorIntro': 'The sessions you are invited to watch, with the teams and, once published, the ranking.',
  'sess.empty': 'No sessions yet. Plan them from the eligible applications above.',
  'sess.emptyIndustry': 'No sessions in this industry yet.',
  'sess.count': '{sessions}, {live} live now.',
  'sess.sessionsN': '{n} sessions',
  'sess.sessionsN.one': '{n} session',
  'sess.judgesN': '{n} judges',
  'sess.judgesN.one': '{n} judge',
  'sess.investorsN': '{n} investors',
  'sess.investorsN.one': '{n} investor',
  'sess.groupCount': '· {sessions}, {teams}',
  'sess.meta': '{teams} · {judges} · {investors}',
  'sess.teams': '{n} teams',
  'sess.teams.one': '{n} team',
  'sess.slotLength': '{n} min per team',
  'sess.dalianTime': 'Dalian time',
  'sess.dalianShort': 'Dalian',
  'sess.yourShort': 'your time',
  'sess.yourTime': 'Your time ({zone})',
  'sess.teamTime': "The team's local time",
  'sess.back': 'Back to the sessions',
  'sess.order': 'Running order',
  'sess.noTeams': 'This session has no teams.',

  'plan.title': 'Plan sessions from the eligible applications',
  'plan.intro': 'Sessions never mix industries and give each team a slot between 08:00 and 22:00 of its own time zone. Teams already in a session are not moved; planning again only places newcomers.',
  'plan.firstStart': 'Earliest start (Dalian time)',
  'plan.firstStartHelp': 'Dalian time, UTC+8.',
  'plan.dayStart': 'Daily window from',
  'plan.dayEnd': 'Daily window until',
  'plan.dalianHelp': 'Dalian time.',
  'plan.max': 'Most teams per session',
  'plan.maxHelp': '1 to 20; sessions are balanced in size.',
  'plan.slot': 'Minutes per team',
  'plan.slotHelp': '5 to 60.',
  'plan.days': 'Days to plan',
  'plan.daysHelp': 'From the earliest start; 1 to 92.',
  'plan.tracks': 'Parallel sessions',
  'plan.tracksHelp': 'How many sessions may run at the same time.',
  'plan.industries': 'Industries to plan',
  'plan.all': 'All',
  'plan.none': 'None',
  'plan.submit': 'Plan sessions',
  'plan.done': '{n} sessions created.',
  'plan.done.one': '{n} session created.',
  'plan.resultTitle': 'Planning result',
  'plan.created': '{n} new sessions.',
  'plan.created.one': '{n} new session.',
  'plan.unplacedTitle': 'Teams that could not be placed ({n})',
  'plan.allPlaced': 'Every eligible team has a slot.',
  'plan.v.firstStart': 'Choose the earliest start.',
  'plan.v.range': 'Use a whole number from {lo} to {hi}.',
  'plan.v.clock': 'Use a time such as 08:00.',
  'plan.v.dayEnd': 'Use a time after the start of the window.',
  'plan.v.industries': 'Choose at least one industry.',

  'live.title': 'Live',
  'live.connecting': 'Connecting…',
  'live.open': 'Live updates on',
  'live.reconnecting': 'Reconnecting…',
  'live.closed': 'Live updates off',
  'live.current': 'Now pitching',
  'live.none.scheduled': 'The session has not started.',
  'live.none.live': '—',
  'live.none.ended': 'The session has ended.',
  'live.none.cancelled': 'The session was cancelled.',
  'live.slotOf': 'Team {n} of {total}',
  'live.remaining': 'Time left',
  'live.overtime': 'Over time',
  'live.now': 'Now',
  'live.announceNow': 'Now pitching: {title} (team {n} of {total}).',
  'live.announceEnded': 'The session has ended.',
  'live.announceOvertime': 'Time is up for this team.',
  'live.done': 'Done',
  'live.judgesScored': 'judges scored',
  'live.final': '{n} final',

  'ctl.title': 'Run the session',
  'ctl.start': 'Start',
  'ctl.next': 'Next team',
  'ctl.end': 'End session',
  'ctl.cancel': 'Cancel session',
  'ctl.confirmEnd': 'End this session? Judges can no longer change their scores.',
  'ctl.confirmCancel': 'Cancel this session? Its teams become free for planning again.',
  'ctl.help.scheduled': 'Start makes the first team live. Until then you can reorder and move teams.',
  'ctl.help.live': 'Next team moves the clock to the next slot; end the session after the last team.',
  'ctl.help.ended': 'The session has ended. Publish the results when you are ready.',
  'ctl.help.cancelled': 'This session was cancelled.',

  'move.up': 'Move up',
  'move.down': 'Move down',
  'move.upLabel': 'Move {title} up',
  'move.downLabel': 'Move {title} down',
  'move.toLabel': 'Move {title} to another session',
  'move.placeholder': 'Move to session…',
  'move.button': 'Move',
  'move.choose': 'Choose a session to move the team to.',
  'move.done': 'Team moved to {session}.',
  'move.warnings': 'Check these local times:',

  'part.title': 'Judges and investors',
  'part.judges': 'Judges',
  'part.investors': 'Investors',
  'part.none.judges': 'No judges assigned yet.',
  'part.none.investors': 'No investors invited yet.',
  'part.choose.judges': 'Choose a judge…',
  'part.choose.investors': 'Choose an investor…',
  'part.add.judges': 'Assign',
  'part.add.investors': 'Invite',
  'part.remove': 'Remove',
  'part.removeLabel': 'Remove {name}',
  'part.unknown': 'Unknown account',
  'part.inviteFirst': 'Invite judges and investors first:',

  'results.title': 'Results',
  'results.ranking': 'Ranking',
  'results.col.rank': 'Rank',
  'results.col.team': 'Team',
  'results.col.mean': 'Mean',
  'results.col.zMean': 'Mean z-score',
  'results.col.judges': 'Judges',
  'results.col.totals': "Judges' totals",
  'results.empty': 'No scores yet.',
  'results.notPublished': 'Not published',
  'results.publishedAt': 'Published',
  'results.notYet': 'The ranking appears here once the organizers publish it.',
  'results.publish': 'Publish results',
  'results.published': 'Results published',
  'results.publishedToast': 'Results published.',
  'results.publishHelp': 'Results can be published once the session has ended.',
  'results.refresh': 'Refresh',

  'export.applications': 'Applications (CSV)',
  'export.results': 'Results (CSV)',
  'export.done': '{name} downloaded.',

  'judge.teams': 'Teams',
  'judge.read': 'Read application',
  'judge.score': 'Score',
  'judge.edit': 'Edit score',
  'judge.view': 'View score',
  'judge.backToSession': 'Back to the session',
  'judge.publicConflict': 'You declared a conflict of interest with this team, so you see only the public part of its application.',
  'judge.publicInvestor': 'You see the public part of this application.',

  'conflict.declare': 'Declare conflict',
  'conflict.reason': 'Reason',
  'conflict.help': 'For the organizers. You will no longer read or score this team.',
  'conflict.submit': 'Declare conflict of interest',
  'conflict.cancel': 'Cancel',
  'conflict.done': 'Conflict of interest recorded.',

  'score.heading': 'Scoring',
  'score.title': 'Score: {title}',
  'score.criteriaLegend': 'Criteria',
  'score.weight': 'weight {pct}%',
  'score.scale': '{min}–{max}',
  'score.comment': 'Comment',
  'score.total': 'Weighted total: {total}',
  'score.totalNone': 'Weighted total: —',
  'score.final': 'Make final',
  'score.finalShort': 'Final',
  'score.confirmFinal': 'Make this score final? You cannot change it afterwards.',
  'score.finalToast': 'Score is final.',
  'score.finalLocked': 'Final — your score is locked.',
  'score.finalHelp': 'This score is final and can no longer be changed.',
  'score.autosaveHelp': 'Your score saves automatically once every criterion has a value. Other judges never see it.',
  'score.idle': 'Give every criterion a value from 1 to 10; it saves automatically.',
  'score.incomplete': '{n} of {total} criteria filled; saves when all are filled.',
  'score.invalid': 'Fix the highlighted values to save.',
  'score.pending': 'Unsaved changes…',
  'score.saving': 'Saving…',
  'score.saved': 'Saved',
  'score.error': 'Not saved:',
  'score.closed': 'Scoring is closed for this team.',
  'score.saveFirst': 'Fill in every criterion first.',
  'score.backToCurrent': 'Back to the current team',
  'score.none.scheduled': 'Scoring opens when the session starts.',
  'score.none.live': 'Choose a team to score.',
  'score.none.ended': 'The session has ended; scores can no longer change.',
  'score.none.cancelled': 'The session was cancelled.',
  'score.none.conflict': 'You declared a conflict of interest with the team pitching now.',
  'score.mine.none': 'Not scored',
  'score.mine.saved': 'Saved',
  'score.mine.final': 'Final',
  'score.mine.conflict': 'Conflict',
  'score.v.range': 'Use a whole number from {min} to {max}.',

  'my.title': 'My pitch',
  'my.intro': 'Your pitch slots, shown in your time zone ({zone}) and in your team\'s.',
  'my.empty': 'You have no pitch slot yet. Once your application is eligible, the organizers schedule it.',
  'my.yourTime': 'Your time ({zone})',
  'my.teamTime': "Your team's time ({zone})",
  'my.liveNow': 'This session is live now.',
  'my.rank': 'Rank {rank}',
  'my.unranked': 'Not ranked',
  'my.mean': 'mean score {mean}',
  'my.resultsLater': 'Results appear here once they are published.',
  'my.runningOrder': 'Running order ({teams})',

  'cal.title': 'Calendar',
  'cal.intro': 'Add your slots to your calendar app; it follows changes to the schedule.',
  'cal.add': 'Add to calendar',
  'cal.subscribe': 'Subscribe in my calendar app',
  'cal.download': 'Download .ics',
  'cal.url': 'Calendar feed address',
  'cal.copy': 'Copy',
  'cal.copied': 'Address copied.',
  'cal.private': 'Keep this address private: anyone with it can read your schedule.',

  'edition.title': 'Edition and rubric',
  'edition.intro': 'Times are in Dalian time ({zone}).',
  'edition.general': 'Edition',
  'edition.name': 'Name',
  'edition.deadline': 'Application deadline (Dalian time)',
  'edition.deadlineHelp': 'Leave empty for no deadline.',
  'edition.deadlineYour': 'In your time zone: {time}.',
  'edition.rubric': 'Rubric',
  'edition.rubricHelp': 'Judges score each criterion from 1 to 10; weights are relative. The rubric is locked once the first score is given.',
  'edition.locked': 'The rubric is locked: judges have started scoring.',
  'edition.criterion': 'Criterion {n}',
  'edition.key': 'Key',
  'edition.nameEn': 'Name (English)',
  'edition.nameZh': 'Name (Chinese)',
  'edition.weight': 'Weight',
  'edition.share': '{pct}% of the total',
  'edition.add': 'Add criterion',
  'edition.removeLabel': 'Remove criterion {n}',
  'edition.save': 'Save',
  'edition.saved': 'Edition saved.',
  'edition.v.deadline': 'Choose a date and time.',
  'edition.v.criteria': 'Give at least one criterion.',
  'edition.v.key': 'Use lowercase letters, digits or _, starting with a letter.',
  'edition.v.keyDup': 'Another criterion has this key.',
  'edition.v.weight': 'Use a number greater than 0, at most 100.',

  'home.judgeLead': 'Read the applications of your sessions and score each pitch live.',
  'home.investorLead': 'Follow the sessions you are invited to and the published rankings.',
  'home.allJudge': 'All my sessions',
  'home.allInvestor': 'All my sessions',
  'home.next': 'Coming up',
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
  'v.emailTaken': '该电子邮箱已注册。',

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
  'deck.choose': '选择 PDF 文件…',
  'deck.noFile': '尚未选择文件。',
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

  'nav.sessions': '路演场次',
  'nav.judgeSessions': '我的场次',
  'nav.investorSessions': '我的场次',
  'nav.mySessions': '我的路演',
  'nav.edition': '届次设置',

  'state.scheduled': '已排期',
  'state.live': '进行中',
  'state.ended': '已结束',
  'state.cancelled': '已取消',

  'sess.title': '路演场次',
  'sess.intro': '按 1+8 产业排期,显示大连时间及各团队当地时间。',
  'sess.judgeTitle': '我的场次',
  'sess.judgeIntro': '您担任评委的场次。打开场次即可阅读申请并为路演评分。',
  'sess.investorTitle': '我的场次',
  'sess.investorIntro': '邀请您观看的场次、参加团队,以及发布后的排名。',
  'sess.empty': '还没有场次。请在上方根据符合条件的申请排期。',
  'sess.emptyIndustry': '该产业还没有场次。',
  'sess.count': '共 {sessions},{live} 个正在进行。',
  'sess.sessionsN': '{n} 个场次',
  'sess.judgesN': '{n} 位评委',
  'sess.investorsN': '{n} 位投资人',
  'sess.groupCount': '· {sessions},{teams}',
  'sess.meta': '{teams} · {judges} · {investors}',
  'sess.teams': '{n} 个团队',
  'sess.slotLength': '每个团队 {n} 分钟',
  'sess.dalianTime': '大连时间',
  'sess.dalianShort': '大连',
  'sess.yourShort': '您的时间',
  'sess.yourTime': '您的时间({zone})',
  'sess.teamTime': '团队当地时间',
  'sess.back': '返回场次列表',
  'sess.order': '出场顺序',
  'sess.noTeams': '此场次没有团队。',

  'plan.title': '根据符合条件的申请排期',
  'plan.intro': '每个场次只包含同一产业,每个团队的路演时间都在其所在时区的 08:00 至 22:00 之间。已排入场次的团队不会被移动;再次排期只安排新团队。',
  'plan.firstStart': '最早开始时间(大连时间)',
  'plan.firstStartHelp': '大连时间,UTC+8。',
  'plan.dayStart': '每日时段开始',
  'plan.dayEnd': '每日时段结束',
  'plan.dalianHelp': '大连时间。',
  'plan.max': '每场最多团队数',
  'plan.maxHelp': '1 至 20;各场次规模均衡。',
  'plan.slot': '每个团队分钟数',
  'plan.slotHelp': '5 至 60。',
  'plan.days': '排期天数',
  'plan.daysHelp': '从最早开始时间算起;1 至 92。',
  'plan.tracks': '并行场次数',
  'plan.tracksHelp': '同一时间最多可进行的场次数。',
  'plan.industries': '排期产业',
  'plan.all': '全选',
  'plan.none': '全不选',
  'plan.submit': '生成场次',
  'plan.done': '已创建 {n} 个场次。',
  'plan.resultTitle': '排期结果',
  'plan.created': '新建 {n} 个场次。',
  'plan.unplacedTitle': '未能安排的团队({n})',
  'plan.allPlaced': '所有符合条件的团队都已安排。',
  'plan.v.firstStart': '请选择最早开始时间。',
  'plan.v.range': '请输入 {lo} 至 {hi} 之间的整数。',
  'plan.v.clock': '请输入时间,例如 08:00。',
  'plan.v.dayEnd': '结束时间须晚于开始时间。',
  'plan.v.industries': '请至少选择一个产业。',

  'live.title': '实时',
  'live.connecting': '正在连接…',
  'live.open': '实时更新已开启',
  'live.reconnecting': '正在重新连接…',
  'live.closed': '实时更新已关闭',
  'live.current': '正在路演',
  'live.none.scheduled': '场次尚未开始。',
  'live.none.live': '—',
  'live.none.ended': '场次已结束。',
  'live.none.cancelled': '场次已取消。',
  'live.slotOf': '第 {n} 个团队,共 {total} 个',
  'live.remaining': '剩余时间',
  'live.overtime': '已超时',
  'live.now': '当前',
  'live.announceNow': '正在路演:{title}(第 {n} 个团队,共 {total} 个)。',
  'live.announceEnded': '场次已结束。',
  'live.announceOvertime': '本团队时间已到。',
  'live.done': '已路演',
  'live.judgesScored': '位评委已评分',
  'live.final': '{n} 份已定稿',

  'ctl.title': '场次控制',
  'ctl.start': '开始',
  'ctl.next': '下一个团队',
  'ctl.end': '结束场次',
  'ctl.cancel': '取消场次',
  'ctl.confirmEnd': '确定结束此场次吗?结束后评委将无法修改评分。',
  'ctl.confirmCancel': '确定取消此场次吗?其中的团队可重新排期。',
  'ctl.help.scheduled': '点击"开始"后第一个团队进入路演。开始前可调整顺序或移动团队。',
  'ctl.help.live': '"下一个团队"切换到下一个时段;最后一个团队结束后请结束场次。',
  'ctl.help.ended': '场次已结束。准备好后即可发布结果。',
  'ctl.help.cancelled': '此场次已取消。',

  'move.up': '上移',
  'move.down': '下移',
  'move.upLabel': '上移 {title}',
  'move.downLabel': '下移 {title}',
  'move.toLabel': '将 {title} 移到其他场次',
  'move.placeholder': '移到场次…',
  'move.button': '移动',
  'move.choose': '请选择要移入的场次。',
  'move.done': '团队已移到 {session}。',
  'move.warnings': '请检查以下当地时间:',

  'part.title': '评委与投资人',
  'part.judges': '评委',
  'part.investors': '投资人',
  'part.none.judges': '尚未分配评委。',
  'part.none.investors': '尚未邀请投资人。',
  'part.choose.judges': '选择评委…',
  'part.choose.investors': '选择投资人…',
  'part.add.judges': '分配',
  'part.add.investors': '邀请',
  'part.remove': '移除',
  'part.removeLabel': '移除 {name}',
  'part.unknown': '未知账号',
  'part.inviteFirst': '请先邀请评委和投资人:',

  'results.title': '结果',
  'results.ranking': '排名',
  'results.col.rank': '名次',
  'results.col.team': '团队',
  'results.col.mean': '平均分',
  'results.col.zMean': '平均标准分',
  'results.col.judges': '评委数',
  'results.col.totals': '各评委总分',
  'results.empty': '暂无评分。',
  'results.notPublished': '未发布',
  'results.publishedAt': '已发布',
  'results.notYet': '组织方发布后,排名将显示在这里。',
  'results.publish': '发布结果',
  'results.published': '结果已发布',
  'results.publishedToast': '结果已发布。',
  'results.publishHelp': '场次结束后才能发布结果。',
  'results.refresh': '刷新',

  'export.applications': '申请(CSV)',
  'export.results': '结果(CSV)',
  'export.done': '已下载 {name}。',

  'judge.teams': '团队',
  'judge.read': '阅读申请',
  'judge.score': '评分',
  'judge.edit': '修改评分',
  'judge.view': '查看评分',
  'judge.backToSession': '返回场次',
  'judge.publicConflict': '您已声明与该团队存在利益冲突,只能查看其申请的公开部分。',
  'judge.publicInvestor': '您看到的是此申请的公开部分。',

  'conflict.declare': '声明利益冲突',
  'conflict.reason': '原因',
  'conflict.help': '仅组织方可见。声明后您将无法阅读完整申请或为该团队评分。',
  'conflict.submit': '声明利益冲突',
  'conflict.cancel': '取消',
  'conflict.done': '已记录利益冲突。',

  'score.heading': '评分',
  'score.title': '评分:{title}',
  'score.criteriaLegend': '评分项',
  'score.weight': '权重 {pct}%',
  'score.scale': '{min}–{max}',
  'score.comment': '评语',
  'score.total': '加权总分:{total}',
  'score.totalNone': '加权总分:—',
  'score.final': '提交定稿',
  'score.finalShort': '已定稿',
  'score.confirmFinal': '确定提交定稿吗?定稿后不能再修改。',
  'score.finalToast': '评分已定稿。',
  'score.finalLocked': '已定稿,评分已锁定。',
  'score.finalHelp': '此评分已定稿,不能再修改。',
  'score.autosaveHelp': '所有评分项填写后自动保存。其他评委看不到您的评分。',
  'score.idle': '请为每一项打 1 至 10 分,系统会自动保存。',
  'score.incomplete': '已填写 {n}/{total} 项;全部填写后自动保存。',
  'score.invalid': '请修改标出的分数后再保存。',
  'score.pending': '有未保存的修改…',
  'score.saving': '正在保存…',
  'score.saved': '已保存',
  'score.error': '未保存:',
  'score.closed': '该团队的评分已关闭。',
  'score.saveFirst': '请先填写所有评分项。',
  'score.backToCurrent': '回到当前团队',
  'score.none.scheduled': '场次开始后即可评分。',
  'score.none.live': '请选择要评分的团队。',
  'score.none.ended': '场次已结束,评分不能再修改。',
  'score.none.cancelled': '场次已取消。',
  'score.none.conflict': '您已声明与当前路演团队存在利益冲突。',
  'score.mine.none': '未评分',
  'score.mine.saved': '已保存',
  'score.mine.final': '已定稿',
  'score.mine.conflict': '利益冲突',
  'score.v.range': '请输入 {min} 至 {max} 之间的整数。',

  'my.title': '我的路演',
  'my.intro': '您的路演时段,按您的时区({zone})和团队所在时区显示。',
  'my.empty': '您还没有路演时段。申请通过初审后,组织方会为您排期。',
  'my.yourTime': '您的时间({zone})',
  'my.teamTime': '团队时间({zone})',
  'my.liveNow': '此场次正在进行。',
  'my.rank': '第 {rank} 名',
  'my.unranked': '未排名',
  'my.mean': '平均分 {mean}',
  'my.resultsLater': '结果发布后将显示在这里。',
  'my.runningOrder': '出场顺序({teams})',

  'cal.title': '日历',
  'cal.intro': '将路演时段添加到您的日历应用;排期变化会自动同步。',
  'cal.add': '添加到日历',
  'cal.subscribe': '在日历应用中订阅',
  'cal.download': '下载 .ics 文件',
  'cal.url': '日历订阅地址',
  'cal.copy': '复制',
  'cal.copied': '地址已复制。',
  'cal.private': '请妥善保管此地址:任何拿到它的人都能看到您的日程。',

  'edition.title': '届次与评分标准',
  'edition.intro': '时间均为大连时间({zone})。',
  'edition.general': '届次',
  'edition.name': '名称',
  'edition.deadline': '申请截止时间(大连时间)',
  'edition.deadlineHelp': '留空表示不设截止时间。',
  'edition.deadlineYour': '您所在时区:{time}。',
  'edition.rubric': '评分标准',
  'edition.rubricHelp': '评委为每一项打 1 至 10 分;权重为相对值。第一份评分提交后评分标准即锁定。',
  'edition.locked': '评分标准已锁定:评委已开始评分。',
  'edition.criterion': '评分项 {n}',
  'edition.key': '标识',
  'edition.nameEn': '名称(英文)',
  'edition.nameZh': '名称(中文)',
  'edition.weight': '权重',
  'edition.share': '占总分 {pct}%',
  'edition.add': '添加评分项',
  'edition.removeLabel': '移除评分项 {n}',
  'edition.save': '保存',
  'edition.saved': '届次已保存。',
  'edition.v.deadline': '请选择日期和时间。',
  'edition.v.criteria': '请至少设置一个评分项。',
  'edition.v.key': '请使用小写字母、数字或下划线,并以字母开头。',
  'edition.v.keyDup': '其他评分项已使用此标识。',
  'edition.v.weight': '请输入大于 0 且不超过 100 的数字。',

  'home.judgeLead': '阅读所负责场次的申请,并在路演时实时评分。',
  'home.investorLead': '关注邀请您观看的场次及已发布的排名。',
  'home.allJudge': '我的全部场次',
  'home.allInvestor': '我的全部场次',
  'home.next': '即将进行',
};

const tables = { en, zh };

/** Both translation tables (the browser test compares their keys). */
export function translationTables() { return { en, zh }; }

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
  'Session not found.': '未找到该场次。',
  'Use a date between the years 1 and 9999.': '请使用公元 1 年至 9999 年之间的日期。',
  'The session has no teams.': '此场次没有团队。',
  'The session is not live.': '场次未在进行中。',
  'This is the last team; end the session instead.': '这是最后一个团队,请直接结束场次。',
  'End the session before publishing its results.': '请先结束场次,再发布结果。',
  'The session changed meanwhile; reload and try again.': '场次已被他人修改,请刷新后重试。',
  "The application's session changed meanwhile; reload and try again.": '申请所在场次已被修改,请刷新后重试。',
  'Sessions never mix industries.': '场次不能混合不同产业。',
  'Choose a session of the same industry.': '请选择同一产业的场次。',
  'The team is already in that session.': '该团队已在那个场次中。',
  'List every team of the session once.': '请将场次中的每个团队列出一次。',
  'That team is not in this session.': '该团队不在此场次中。',
  'No such position.': '没有这个位置。',
  'Score is final and can no longer be changed.': '评分已定稿,不能再修改。',
  'Session has ended.': '场次已结束。',
  'Session is not live.': '场次未在进行中。',
  'This slot has not started yet.': '该时段尚未开始。',
  'You have a conflict of interest with this application and cannot score it.': '您与该申请存在利益冲突,不能评分。',
  'Only a judge assigned to this session can score.': '只有本场次的评委可以评分。',
  'Application not found in this session.': '此场次中没有该申请。',
  'Save a score before making it final.': '请先保存评分,再提交定稿。',
  'You are not a judge of this session.': '您不是本场次的评委。',
  'The results of this session have not been published yet.': '本场次的结果尚未发布。',
  'The scores are invalid.': '评分无效。',
  'Required.': '必填。',
  'Unknown criterion.': '未知的评分项。',
  'The rubric can no longer change: scores have been given.': '已有评分,评分标准不能再修改。',
  'Give the edition a name.': '请填写届次名称。',
  'The planning options are not valid.': '排期选项无效。',
  'Give the first possible start time.': '请填写最早开始时间。',
  'Enter the earliest start of the first session.': '请填写第一个场次的最早开始时间。',
  'Use whole minutes from 5 to 60.': '请输入 5 至 60 之间的整数分钟。',
  'Use a time of day from 00:00 to 23:59.': '请输入 00:00 至 23:59 之间的时间。',
  'Use a time after the day start, at most 24:00.': '请输入晚于开始时间且不超过 24:00 的时间。',
  'Use HH:MM, e.g. 08:00.': '请使用 HH:MM 格式,例如 08:00。',
  'Use HH:MM, e.g. 22:00.': '请使用 HH:MM 格式,例如 22:00。',
  'No session fits the planning window: check the first start, the number of days and the daily window.': '排期时段内放不下任何场次:请检查最早开始时间、天数和每日时段。',
  'no time zone given': '未填写时区',
  'Choose a judge.': '请选择评委。',
  'Not a judge.': '不是评委账号。',
  'Choose an account.': '请选择账号。',
  'Unknown account.': '未知账号。',
  'Cross-site WebSocket connections are not allowed.': '不允许跨站 WebSocket 连接。',
  "Teams are ranked by the mean of the judges' standardized scores (each judge's weighted totals turned into z-scores within the session, so that a harsh or a lenient judge does not decide the ranking), highest first. When two teams are equal on that to 9 decimal places, the higher mean weighted total wins, then the team scored by more judges, then the team with the earlier pitch slot, so every rank is distinct. A judge who scored only one team, or gave every team the same total, counts as 0 for those teams. Teams no judge scored are listed last, without a rank.": '排名依据评委标准分的平均值从高到低排列(每位评委的加权总分在本场次内换算为标准分 z,避免评分偏严或偏松的评委左右排名)。若两队该值在小数点后 9 位内相同,则加权总分平均值较高者优先,其次是评分评委较多者,再次是路演顺序较早者,因此名次互不相同。只评了一个团队或给所有团队相同总分的评委,对这些团队计为 0。没有评委评分的团队列在最后,不排名次。',
};

const serverZhPatterns = [
  [/^Only a scheduled session can start; this one is (\w+)\.$/, (m) => `只有已排期的场次才能开始;此场次为"${t('state.' + m[1])}"。`],
  [/^Only a live session can end; this one is (\w+)\.$/, (m) => `只有进行中的场次才能结束;此场次为"${t('state.' + m[1])}"。`],
  [/^Only a scheduled session can be cancelled; this one is (\w+)\.$/, (m) => `只有已排期的场次才能取消;此场次为"${t('state.' + m[1])}"。`],
  [/^Teams can only be moved while the session is scheduled; "(.*)" is (\w+)\.$/, (m) => `只有已排期的场次才能移动团队;"${m[1]}"为"${t('state.' + m[2])}"。`],
  [/^The session is (\w+)\.$/, (m) => `场次为"${t('state.' + m[1])}"。`],
  [/^That (judge|investor) is not part of this session\.$/, (m) => `该${t('role.' + m[1])}不在此场次中。`],
  [/^Choose a (judge|investor) account\.$/, (m) => `请选择${t('role.' + m[1])}账号。`],
  [/^Not a (judge|investor)\.$/, (m) => `不是${t('role.' + m[1])}账号。`],
  [/^Must be between (\d+) and (\d+)\.$/, (m) => `须在 ${m[1]} 至 ${m[2]} 之间。`],
  [/^Use a number from (\d+) to (\d+)\.$/, (m) => `请输入 ${m[1]} 至 ${m[2]} 之间的数字。`],
  [/^Use (\d+) to (\d+)\.$/, (m) => `请使用 ${m[1]} 至 ${m[2]}。`],
  [/^Use RFC 3339, e\.g\. (.+)\.$/, () => '请选择有效的日期和时间。'],
  [/^unknown time zone "(.*)"$/, (m) => `未知时区"${m[1]}"`],
  [/^unknown industry "(.*)"$/, (m) => `未知产业"${m[1]}"`],
  [/^no time inside 08:00-22:00 local time for (.+) within the planning window$/, (m) => `在排期时段内找不到 ${m[1]} 当地时间 08:00-22:00 之间的时段`],
  [/^every time inside 08:00-22:00 local time for (.+) within the planning window is already taken by other sessions \((\d+) parallel tracks?\)$/,
    (m) => `在排期时段内,${m[1]} 当地时间 08:00-22:00 之间的时段已全部被其他场次占用(并行场次数 ${m[2]})`],
  [/^"(.*)" pitches at (\d\d:\d\d) local time \((.+)\), outside 08:00-22:00\.$/, (m) => `"${m[1]}"的路演时间为当地时间 ${m[2]}(${m[3]}),不在 08:00-22:00 之间。`],
  [/^Choose among the nine 1\+8 industries; "(.*)" is not one of them\.$/, (m) => `请从 1+8 产业中选择;"${m[1]}"不是其中之一。`],
  [/^Too many teams to plan at once \((\d+), at most (\d+)\)\.$/, (m) => `一次排期的团队过多(${m[1]},上限 ${m[2]})。`],
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

/** Translates a counted phrase: "<key>.one" when n is 1 and the language has it, else key; {n} is n. */
export function tn(key, n, params) {
  const k = n === 1 && Object.hasOwn(tables[lang], `${key}.one`) ? `${key}.one` : key;
  return t(k, { n, ...params });
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

/** The zone the roadshow is scheduled in: Dalian, China (UTC+8, no daylight saving). */
export const DALIAN_TZ = 'Asia/Shanghai';

function dtf(zone, opts) {
  try {
    return new Intl.DateTimeFormat(locale(), { ...opts, timeZone: zone || undefined });
  } catch {
    return new Intl.DateTimeFormat(locale(), { ...opts, timeZone: 'UTC' });
  }
}

/**
 * Formats an ISO time in an IANA zone (the viewer's when zone is empty).
 * parts: "datetime" (default), "date", "time" or "weekdaytime"; zoneName adds
 * the zone's short name (e.g. "GMT+8").
 */
export function formatIn(iso, zone, { parts = 'datetime', zoneName = false } = {}) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const o = {};
  if (parts === 'datetime' || parts === 'date') Object.assign(o, { year: 'numeric', month: 'short', day: 'numeric', weekday: 'short' });
  if (parts === 'weekdaytime') Object.assign(o, { month: 'short', day: 'numeric', weekday: 'short' });
  if (parts !== 'date') Object.assign(o, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  if (zoneName) o.timeZoneName = 'short';
  return dtf(zone, o).format(d);
}

/** The short name of a zone at an instant, e.g. "GMT+8" or "CET". */
export function zoneAbbr(iso, zone) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const part = dtf(zone, { timeZoneName: 'short' }).formatToParts(d).find((x) => x.type === 'timeZoneName');
  return part ? part.value : '';
}

/** The calendar day of an ISO time in a zone, as YYYY-MM-DD (for grouping). */
export function dayKey(iso, zone) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = Object.fromEntries(dtf(zone, { year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}

/** "09:00–09:15" in a zone. */
export function formatTimeRange(startIso, endIso, zone) {
  const a = formatIn(startIso, zone, { parts: 'time' });
  const b = formatIn(endIso, zone, { parts: 'time' });
  return b ? `${a}–${b}` : a;
}

/** A time zone name for people: "Europe/Berlin" -> "Europe/Berlin", underscores as spaces. */
export function zoneLabel(zone) {
  return (zone || '').replace(/_/g, ' ');
}

/** Whether the browser knows an IANA zone. */
export function validZone(zone) {
  if (!zone) return false;
  try { new Intl.DateTimeFormat('en', { timeZone: zone }); return true; } catch { return false; }
}

/** Formats a score (one or two decimals). */
export function formatScore(x, digits = 2) {
  if (typeof x !== 'number' || Number.isNaN(x)) return '';
  return new Intl.NumberFormat(locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);
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
