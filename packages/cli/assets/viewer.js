// Sightline viewer: the little behaviour the server-rendered pages need.
// Live updates arrive as server-sent events (/api/live); each page then
// fetches the fragment it shows again. No framework, no build.
'use strict';
(function () {
  const page = document.body.dataset.page;
  const live = document.getElementById('live');

  async function fragment(url, name) {
    const target = new URL(url, location.href);
    target.searchParams.set('fragment', name);
    const response = await fetch(target);
    if (!response.ok) throw new Error('HTTP ' + response.status);
    return response.text();
  }

  function throttle(fn, ms) {
    let timer = null;
    let again = false;
    return function run() {
      if (timer) { again = true; return; }
      fn();
      timer = setTimeout(function () { timer = null; if (again) { again = false; run(); } }, ms);
    };
  }

  function listen(onUpdate) {
    const source = new EventSource('/api/live');
    source.onopen = function () { live.classList.add('on'); };
    source.onerror = function () { live.classList.remove('on'); };
    source.addEventListener('update', function (event) { onUpdate(JSON.parse(event.data)); });
  }

  if (page === 'traces') {
    const form = document.getElementById('filters');
    const rows = document.getElementById('trace-rows');
    const refresh = throttle(function () {
      const params = new URLSearchParams();
      for (const [key, value] of new FormData(form)) if (value !== '') params.set(key, value);
      history.replaceState(null, '', params.size ? '/?' + params : '/');
      fragment('/?' + params, 'rows').then(function (html) { rows.innerHTML = html; }).catch(function () {});
    }, 300);
    form.addEventListener('submit', function (event) { event.preventDefault(); refresh(); });
    form.addEventListener('change', refresh);
    form.addEventListener('input', refresh);
    listen(function (changed) { if (changed.includes('traces')) refresh(); });
  }

  if (page === 'trace') {
    let view = document.querySelector('.trace-view');
    let selected = location.hash.startsWith('#span-') ? location.hash.slice(6) : view.dataset.selected;
    const collapsed = new Set();

    function select(spanId) {
      if (!view.querySelector('#detail-' + spanId)) return;
      selected = spanId;
      for (const row of view.querySelectorAll('.row.selected')) row.classList.remove('selected');
      for (const detail of view.querySelectorAll('.detail')) detail.hidden = detail.dataset.spanId !== spanId;
      const row = view.querySelector('#span-' + spanId);
      if (row) row.classList.add('selected');
    }

    function applyCollapsed() {
      let hideBelow = Infinity;
      for (const row of view.querySelectorAll('.row[data-span-id]')) {
        const depth = Number(row.dataset.depth);
        if (depth <= hideBelow) hideBelow = Infinity;
        row.hidden = depth > hideBelow;
        const isCollapsed = collapsed.has(row.dataset.spanId);
        row.classList.toggle('collapsed', isCollapsed);
        if (isCollapsed && hideBelow === Infinity) hideBelow = depth;
      }
    }

    function wire() {
      view.addEventListener('click', function (event) {
        const row = event.target.closest('.row[data-span-id]');
        if (!row) return;
        if (event.target.closest('.toggle')) {
          const id = row.dataset.spanId;
          if (collapsed.has(id)) collapsed.delete(id); else collapsed.add(id);
          applyCollapsed();
          return;
        }
        select(row.dataset.spanId);
      });
      view.addEventListener('keydown', function (event) {
        const row = event.target.closest('.row[data-span-id]');
        if (row && event.key === 'Enter') select(row.dataset.spanId);
      });
      applyCollapsed();
      select(selected);
    }

    document.getElementById('log-rows').addEventListener('click', function (event) {
      const row = event.target.closest('tr[data-span-id]');
      if (row && row.dataset.spanId) select(row.dataset.spanId);
    });
    wire();
    const traceId = view.dataset.traceId;
    const refreshView = throttle(function () {
      fragment('/traces/' + traceId, 'view').then(function (html) {
        const holder = document.createElement('div');
        holder.innerHTML = html;
        const fresh = holder.firstElementChild;
        view.replaceWith(fresh);
        view = fresh;
        wire();
      }).catch(function () {});
    }, 500);
    const refreshLogs = throttle(function () {
      fragment('/traces/' + traceId, 'logs').then(function (html) { document.getElementById('log-rows').innerHTML = html; }).catch(function () {});
    }, 500);
    listen(function (changed) {
      if (changed.includes('traces')) refreshView();
      if (changed.includes('logs')) refreshLogs();
    });
  }

  if (page === 'metrics') {
    const body = document.getElementById('metrics-body');
    const refresh = throttle(function () {
      fragment('/metrics', 'body').then(function (html) { body.innerHTML = html; }).catch(function () {});
    }, 1000);
    listen(function (changed) { if (changed.includes('metrics')) refresh(); });
  }
})();
