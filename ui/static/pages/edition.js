// #/edition: the edition's name, its application deadline (Dalian time) and
// the rubric judges score on, which is locked once the first score exists.

import { api } from '../api.js';
import { t, formatScore, formatIn, DALIAN_TZ } from '../i18n.js';
import {
  h, $, $$, toast, errorText, setFieldError, fieldControl, field, withBusy, errorPanel, charCount, icon, loadRef,
} from '../ui.js';
import { dalianToRFC3339, rfc3339ToDalian } from './sessions.js';

export async function editionPage(ctx) {
  const lim = (await loadRef()).limits;
  let ed;
  try {
    ed = await api.get('/edition');
  } catch (err) {
    if (err.status === 401) return null;
    ctx.mount(errorPanel(err, () => ctx.navigate('#/edition')));
    return null;
  }
  let values = fromEdition(ed);
  let errs = {};
  let error = null;

  function fromEdition(e) {
    return {
      name: e.name || '',
      deadline: rfc3339ToDalian(e.deadline),
      criteria: ((e.rubric && e.rubric.criteria) || []).map((c) => ({
        key: c.key, nameEn: c.nameEn, nameZh: c.nameZh, weight: String(c.weight),
      })),
    };
  }

  function collect() {
    if (!$('#edition-form')) return;
    values.name = $('#edition-name').value;
    values.deadline = $('#edition-deadline').value;
    if (!ed.rubricLocked) {
      values.criteria = $$('.criterion-row').map((row) => ({
        key: $('.crit-key', row).value,
        nameEn: $('.crit-en', row).value,
        nameZh: $('.crit-zh', row).value,
        weight: $('.crit-weight', row).value,
      }));
    }
  }

  function validate() {
    const e = {};
    const over = (s, max) => max !== undefined && charCount(s.trim()) > max;
    if (!values.name.trim()) e.name = { k: 'v.required' };
    else if (over(values.name, lim.editionName)) e.name = { k: 'v.maxLen', p: { n: lim.editionName } };
    if (values.deadline && !dalianToRFC3339(values.deadline)) e.deadline = { k: 'edition.v.deadline' };
    if (!ed.rubricLocked) {
      if (!values.criteria.length) e['rubric.criteria'] = { k: 'edition.v.criteria' };
      const seen = new Set();
      values.criteria.forEach((c, i) => {
        const p = `rubric.criteria[${i}].`;
        if (!/^[a-z][a-z0-9_]{0,31}$/.test(c.key.trim())) e[`${p}key`] = { k: 'edition.v.key' };
        else if (seen.has(c.key.trim())) e[`${p}key`] = { k: 'edition.v.keyDup' };
        seen.add(c.key.trim());
        if (!c.nameEn.trim()) e[`${p}nameEn`] = { k: 'v.required' };
        else if (over(c.nameEn, lim.criterionName)) e[`${p}nameEn`] = { k: 'v.maxLen', p: { n: lim.criterionName } };
        if (!c.nameZh.trim()) e[`${p}nameZh`] = { k: 'v.required' };
        else if (over(c.nameZh, lim.criterionName)) e[`${p}nameZh`] = { k: 'v.maxLen', p: { n: lim.criterionName } };
        const w = Number(c.weight);
        if (!c.weight.trim() || !Number.isFinite(w) || w <= 0 || (lim.criterionWeight !== undefined && w > lim.criterionWeight)) {
          e[`${p}weight`] = { k: 'edition.v.weight', p: { max: lim.criterionWeight } };
        }
      });
    }
    return e;
  }

  async function save(ev) {
    ev.preventDefault();
    collect();
    errs = validate();
    error = null;
    if (Object.keys(errs).length) {
      render(false);
      const c = fieldControl($('#edition-form'), Object.keys(errs)[0]);
      if (c) c.focus();
      return;
    }
    const body = { name: values.name.trim(), deadline: values.deadline ? dalianToRFC3339(values.deadline) : '' };
    if (!ed.rubricLocked) {
      body.rubric = {
        criteria: values.criteria.map((c) => ({
          key: c.key.trim(), nameEn: c.nameEn.trim(), nameZh: c.nameZh.trim(), weight: Number(c.weight), min: lim.scoreMin, max: lim.scoreMax,
        })),
      };
    }
    await withBusy($('#edition-save'), async () => {
      try {
        ed = await api.put('/edition', body);
        values = fromEdition(ed);
        errs = {};
        render(false);
        toast(() => t('edition.saved'), 'success');
      } catch (err) {
        if (err.status === 401) return;
        error = err;
        if (err.fields) {
          for (const [k, m] of Object.entries(err.fields)) errs[k.startsWith('criteria') ? `rubric.${k}` : k] = { m };
        }
        if (err.status === 409) {
          try { ed = await api.get('/edition'); } catch { /* keep */ }
        }
        render(false);
        toast(() => errorText(err), 'error');
      }
    });
  }

  function criterionRow(c, i, locked) {
    const p = `rubric.criteria[${i}].`;
    const id = (part) => `crit-${i}-${part}`;
    const input = (part, cls, value, extra = {}) => h('input', {
      id: id(part), class: cls, type: 'text', value, disabled: locked, autocomplete: 'off', ...extra,
    });
    const total = values.criteria.reduce((n, x) => n + (Number(x.weight) || 0), 0) || 1;
    return h('fieldset', { class: 'criterion-row member', dataset: { index: i } },
      h('legend', {}, t('edition.criterion', { n: i + 1 })),
      h('div', { class: 'grid-4' },
        field(`${p}key`, id('key'), input('key', 'crit-key', c.key, { spellcheck: 'false', autocapitalize: 'none' }), { label: t('edition.key') }),
        field(`${p}nameEn`, id('en'), input('en', 'crit-en', c.nameEn, { lang: 'en' }), { label: t('edition.nameEn') }),
        field(`${p}nameZh`, id('zh'), input('zh', 'crit-zh', c.nameZh, { lang: 'zh-Hans' }), { label: t('edition.nameZh') }),
        field(`${p}weight`, id('weight'), input('weight', 'crit-weight', c.weight, { type: 'number', min: '0.1', max: lim.criterionWeight, step: 'any', inputmode: 'decimal' }), {
          label: t('edition.weight'),
          help: t('edition.share', { pct: formatScore(((Number(c.weight) || 0) / total) * 100, 0) }),
        })),
      locked ? null : h('div', { class: 'member-actions' },
        h('button', {
          type: 'button', class: 'btn btn-small btn-danger-ghost crit-remove', 'aria-label': t('edition.removeLabel', { n: i + 1 }),
          disabled: values.criteria.length <= 1,
          onclick: () => { collect(); values.criteria.splice(i, 1); errs = {}; render(false); $('#crit-add')?.focus(); },
        }, t('app.remove'))));
  }

  function render(fromDom = true) {
    if (fromDom) collect();
    const locked = !!ed.rubricLocked;
    const form = h('form', { id: 'edition-form', class: 'stack', novalidate: true, onsubmit: save },
      h('section', { class: 'panel' },
        h('h2', {}, t('edition.general')),
        h('div', { class: 'grid-2' },
          field('name', 'edition-name', h('input', { id: 'edition-name', type: 'text', value: values.name, autocomplete: 'off' }),
            { label: t('edition.name') }),
          field('deadline', 'edition-deadline', h('input', { id: 'edition-deadline', type: 'datetime-local', value: values.deadline }), {
            label: t('edition.deadline'),
            help: values.deadline && dalianToRFC3339(values.deadline)
              ? t('edition.deadlineYour', { time: formatIn(dalianToRFC3339(values.deadline), '', { zoneName: true }) })
              : t('edition.deadlineHelp'),
            optional: true,
          }))),
      h('section', { class: 'panel', id: 'rubric-editor', 'aria-labelledby': 'rubric-heading' },
        h('h2', { id: 'rubric-heading' }, t('edition.rubric')),
        locked
          ? h('p', { class: 'notice', id: 'rubric-locked' }, t('edition.locked'))
          : h('p', { class: 'muted' }, t('edition.rubricHelp', { min: lim.scoreMin, max: lim.scoreMax })),
        h('div', { class: 'members', id: 'criteria', dataset: { fieldWrap: 'rubric.criteria' } },
          values.criteria.map((c, i) => criterionRow(c, i, locked))),
        locked ? null : h('button', {
          type: 'button', id: 'crit-add', class: 'btn', disabled: lim.criteria !== undefined && values.criteria.length >= lim.criteria,
          onclick: () => {
            collect();
            values.criteria.push({ key: '', nameEn: '', nameZh: '', weight: '10' });
            render(false);
            $$('.crit-key').pop()?.focus();
          },
        }, icon('+ '), t('edition.add'))),
      error ? h('p', { class: 'form-error', role: 'alert', id: 'edition-error' }, errorText(error)) : null,
      h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'edition-save', class: 'btn btn-primary' }, t('edition.save'))));
    for (const [k, e] of Object.entries(errs)) setFieldError(form, k, e);
    ctx.mount(h('div', { class: 'page edition-page' },
      h('div', { class: 'page-head' },
        h('div', {}, h('h1', {}, t('edition.title')), h('p', { class: 'lead' }, t('edition.intro', { zone: DALIAN_TZ })))),
      form));
  }

  render(false);
  return { render };
}
