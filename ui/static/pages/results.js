// Results: the rankings (the published one for judges and investors, the
// organizers' detail), the completeness report an organizer reviews before
// publishing, publishing and withdrawing, the publication log, and
// #/rankings: an industry's ranking across its sessions (organizers).

import { api } from '../api.js';
import { t, msgText, formatScore, industryName } from '../i18n.js';
import {
  h, errorText, options, loadRef, industryOf, errorPanel, timeEl, setFieldError,
} from '../ui.js';

/** The rule a ranking follows, in the viewer's language. */
export function tieBreak(results) {
  return h('p', { class: 'help tiebreak', id: 'results-tiebreak' },
    msgText({ key: results.tieBreakKey, args: results.tieBreakArgs, message: results.tieBreak }));
}

/** "2 of 6": a rank among the ranked teams. */
export function rankText(r) {
  return r.rank ? t('results.rankOf', { rank: r.rank, of: r.of || r.rank }) : t('common.none');
}

/** "2 of 3": the judges whose complete score counts, of the panel. */
export function judgesText(r) {
  return t('results.judgesOf', { n: r.count || 0, panel: r.panel || 0 });
}

/** "6.40–7.40": how far the judges' totals lie apart. */
export function spreadText(r) {
  if (!r.count) return t('common.none');
  return r.count > 1 ? `${formatScore(r.low)}–${formatScore(r.high)}` : formatScore(r.low);
}

function cells(r, cols, extra = {}) {
  const cell = {
    rank: () => h('td', { 'data-label': t('results.col.rank'), class: 'cell-rank' }, rankText(r)),
    team: () => h('td', { 'data-label': t('results.col.team'), class: 'cell-title' }, r.title || r.applicationId),
    judges: () => h('td', { 'data-label': t('results.col.judges'), class: 'num cell-judges' }, judgesText(r)),
    spread: () => h('td', { 'data-label': t('results.col.spread'), class: 'num cell-spread' }, spreadText(r)),
    mean: () => h('td', { 'data-label': t('results.col.mean'), class: 'num' }, r.rank ? formatScore(r.mean) : t('common.none')),
    score: () => h('td', { 'data-label': t('results.col.score'), class: 'num' }, r.rank ? formatScore(r.rankScore, 3) : t('common.none')),
    ...extra,
  };
  return cols.map((c) => cell[c]());
}

function rankingTable(results, cols, extra, id = 'results-table') {
  return h('div', { class: 'table-scroll' }, h('table', { class: 'app-table results-table', id },
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', {
      scope: 'col', class: ['judges', 'spread', 'mean', 'score', 'zMean'].includes(c) ? 'num' : null,
    }, t(`results.col.${c}`))))),
    h('tbody', {}, results.teams.map((r) => h('tr', {
      class: 'result-row', dataset: { applicationId: r.applicationId, rank: r.rank, count: r.count },
    }, cells(r, cols, extra(r)))))));
}

/** The published ranking (judges, investors): rank of how many, team, judges, spread, mean, rank score. */
export function publicRanking(results, err, se) {
  if (!se.publishedAt) return h('p', { class: 'muted', id: 'results-not-published' }, t('results.notYet'));
  if (err) return h('p', { class: 'form-error', role: 'alert' }, errorText(err));
  if (!results || !results.teams || !results.teams.length) return h('p', { class: 'muted', id: 'results-empty' }, t('results.empty'));
  return [
    rankingTable(results, ['rank', 'team', 'judges', 'spread', 'mean', 'score'], () => ({})),
    results.tieBreak ? tieBreak(results) : null,
  ];
}

/** The organizers' ranking: each judge's total and z-score too. */
export function organizerRanking(results, userName) {
  if (!results || !results.teams || !results.teams.length) return h('p', { class: 'muted', id: 'results-empty' }, t('results.empty'));
  const extra = (r) => ({
    zMean: () => h('td', { 'data-label': t('results.col.zMean'), class: 'num' },
      r.rank && typeof r.zMean === 'number' ? formatScore(r.zMean, 3) : t('common.none')),
    totals: () => h('td', { 'data-label': t('results.col.totals') }, (r.judges || []).length
      ? h('ul', { class: 'judge-z' }, r.judges.map((j) => h('li', {},
        userName(j.judgeId), ': ', formatScore(j.total), ' ', h('span', { class: 'muted' }, `(z ${formatScore(j.z, 2)})`))))
      : t('common.none')),
  });
  return [
    rankingTable(results, ['rank', 'team', 'judges', 'spread', 'mean', 'zMean', 'score', 'totals'], extra),
    results.tieBreak ? tieBreak(results) : null,
  ];
}

/** One judge's state with one team: a word, and a conflict's reason. */
function stateCell(st) {
  return h('td', { class: ['cmp-state', `cmp-${st.state}`], dataset: { judgeId: st.judgeId, state: st.state }, 'data-label': st.name },
    h('span', { class: 'cmp-word' }, t(`cmp.state.${st.state}`)),
    st.state === 'conflict' && st.reason ? h('span', { class: 'cmp-reason muted' }, ' ', h('span', { translate: 'no' }, st.reason)) : null);
}

/**
 * The completeness report (organizers): per team, every assigned judge's
 * state (final, complete, incomplete, missing, conflict with its reason);
 * per judge, how far they got; and the gaps a publication would have.
 */
export function completenessPanel(report) {
  const body = [];
  if (!report) {
    body.push(h('p', { class: 'form-error', id: 'completeness-error' }, t('cmp.none')));
  } else {
    const judges = report.judges || [];
    body.push(judges.length ? h('div', { class: 'table-scroll' }, h('table', { class: 'app-table completeness-table', id: 'completeness-table' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('cmp.col.team')),
        judges.map((j) => h('th', { scope: 'col', dataset: { judgeId: j.judgeId } }, j.name)),
        h('th', { scope: 'col', class: 'num' }, t('cmp.col.counts')))),
      h('tbody', {}, report.teams.map((tc) => h('tr', { class: 'cmp-row', dataset: { applicationId: tc.applicationId, missing: tc.missing } },
        h('th', { scope: 'row', class: 'cell-title' }, tc.title),
        tc.judges.map(stateCell),
        h('td', { class: 'num', 'data-label': t('cmp.col.counts') }, t('cmp.counts', { complete: tc.complete, final: tc.final })))))))
      : h('p', { class: 'muted' }, t('cmp.noJudges')));
    if (judges.length) {
      body.push(h('ul', { class: 'plain-list cmp-judges', id: 'completeness-judges' }, judges.map((j) => h('li', {
        dataset: { judgeId: j.judgeId, scored: j.scored },
      }, t('cmp.judgeLine', {
        name: j.name, scored: j.scored, teams: j.teams, final: j.final, partial: j.partial, conflicts: j.conflicts,
      })))));
    }
    body.push(report.gaps && report.gaps.length
      ? h('div', { class: 'warnings', id: 'completeness-gaps', dataset: { count: report.gaps.length } },
        h('p', { class: 'summary-title' }, t('cmp.gaps', { n: report.gaps.length })),
        h('ul', {}, report.gaps.map((g) => h('li', { class: 'cmp-gap' }, msgText(g)))))
      : h('p', { class: 'notice', id: 'completeness-gaps', dataset: { count: 0 } }, t('cmp.noGaps')));
  }
  return h('section', { class: 'completeness', id: 'completeness', 'aria-labelledby': 'completeness-title' },
    h('h3', { id: 'completeness-title' }, t('cmp.title')),
    h('p', { class: 'help' }, t('cmp.intro')),
    body);
}

/**
 * Publishing (with the explicit confirmation of the report's gaps, when it
 * has any) and withdrawing (with a reason): what the session's flags allow.
 */
export function publishPanel({
  se, report, confirmGaps, withdrawReason, withdrawErr, onConfirm, onReason, onPublish, onWithdraw,
}) {
  const can = se.can || {};
  const gaps = (report && report.gaps && report.gaps.length) || 0;
  const out = [];
  if (can.publishResults) {
    out.push(h('div', { class: 'publish-box', id: 'publish-box' },
      gaps ? h('label', { class: 'checkbox', for: 'results-confirm-gaps' },
        h('input', {
          type: 'checkbox', id: 'results-confirm-gaps', checked: confirmGaps,
          onchange: (e) => onConfirm(e.currentTarget.checked),
        }),
        h('span', {}, t('results.confirmGaps', { n: gaps }))) : null,
      h('div', { class: 'actions' }, h('button', {
        type: 'button', id: 'results-publish', class: 'btn btn-primary', onclick: (e) => onPublish(e.currentTarget),
      }, t('results.publish')))));
  } else if (!se.publishedAt) {
    out.push(h('p', { class: 'help', id: 'results-publish-help' }, t('results.publishHelp')));
  }
  if (can.withdrawResults) {
    const form = h('div', { class: 'withdraw-box', id: 'withdraw-box' },
      h('div', { class: 'field', dataset: { fieldWrap: 'reason' } },
        h('label', { for: 'withdraw-reason' }, t('results.withdrawReason')),
        h('textarea', {
          id: 'withdraw-reason', rows: '2', 'aria-describedby': 'withdraw-help', oninput: (e) => onReason(e.currentTarget.value),
        }, withdrawReason),
        h('p', { class: 'help', id: 'withdraw-help' }, t('results.withdrawHelp'))),
      h('div', { class: 'actions' }, h('button', {
        type: 'button', id: 'results-withdraw', class: 'btn btn-danger-ghost', onclick: (e) => onWithdraw(e.currentTarget),
      }, t('results.withdraw'))));
    if (withdrawErr) setFieldError(form, 'reason', withdrawErr);
    out.push(form);
  }
  return out;
}

/** Every publication and withdrawal, with the gaps confirmed or the reason given. */
export function resultsLog(se, userName) {
  const log = se.resultsLog || [];
  if (!log.length) return null;
  return h('section', { class: 'results-log', 'aria-labelledby': 'results-log-title' },
    h('h3', { id: 'results-log-title' }, t('results.log')),
    h('ol', { class: 'plain-list', id: 'results-log' }, log.map((e) => h('li', { dataset: { action: e.action } },
      timeEl(e.at), ' ',
      e.action === 'withdrawn'
        ? t('results.log.withdrawn', { name: userName(e.by), reason: e.reason || '' })
        : [t((e.gaps || []).length ? 'results.log.publishedGaps' : 'results.log.published', { name: userName(e.by), n: (e.gaps || []).length }),
          (e.gaps || []).length ? h('ul', {}, e.gaps.map((g) => h('li', {}, msgText(g)))) : null]))));
}

/** #/rankings?industry=: one industry's ranking across its sessions (organizers). */
export async function rankingsPage(ctx) {
  const ref = await loadRef();
  const industry = ctx.query.get('industry') || (ref.industries[0] && ref.industries[0].code) || '';
  let view = null;
  try {
    view = await api.get(`/results?industry=${encodeURIComponent(industry)}`);
  } catch (err) {
    if (err.status === 401) return null;
    ctx.mount(errorPanel(err, () => ctx.navigate(location.hash)));
    return null;
  }
  function render() {
    const select = h('select', {
      id: 'ranking-industry',
      onchange: (e) => ctx.navigate(`#/rankings?industry=${encodeURIComponent(e.currentTarget.value)}`),
    }, options(ref.industries.map((i) => [i.code, industryName(i)])));
    select.value = industry;
    const ind = industryOf(ref, industry);
    const extra = (r) => ({
      session: () => h('td', { 'data-label': t('results.col.session') },
        h('a', { href: `#/sessions/${encodeURIComponent(r.sessionId)}` }, t('rank.open'))),
    });
    ctx.mount(h('div', { class: 'page rankings-page', dataset: { industry } },
      h('div', { class: 'page-head' },
        h('div', {}, h('h1', {}, t('rank.title')), h('p', { class: 'lead' }, t('rank.intro')))),
      h('section', { class: 'panel', 'aria-labelledby': 'ranking-heading' },
        h('div', { class: 'row-control' },
          h('label', { for: 'ranking-industry' }, t('rank.industry')), select),
        h('h2', { id: 'ranking-heading' }, ind ? industryName(ind) : industry),
        view.teams.length
          ? [rankingTable(view, ['rank', 'team', 'judges', 'spread', 'mean', 'score', 'session'], extra, 'ranking-table'), tieBreak(view)]
          : h('p', { class: 'muted', id: 'ranking-empty' }, t('rank.empty')))));
  }
  render();
  return { render };
}
