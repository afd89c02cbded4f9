// The inspector's page: plain HTML, CSS and JavaScript, no build step and no dependency. The script
// builds every element with textContent (never innerHTML), so record keys and values, client ids and
// topic names show as text whatever they contain. It runs under a CSP that allows only these files.

/** The page, with the per-run token the fault buttons send. */
export function pageHtml(token: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="tributary-token" content="${token}">
<title>Tributary mock cluster</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/app.css">
</head>
<body>
<header>
  <h1>Tributary mock cluster</h1>
  <span id="cluster-id" class="muted"></span>
  <code id="bootstrap"></code>
  <span id="registry" class="muted"></span>
  <span id="live" class="live off" data-testid="live">connecting</span>
</header>
<main>
  <div class="col">
    <section>
      <h2>Brokers</h2>
      <div id="brokers" data-testid="brokers"></div>
    </section>
    <section>
      <h2>Topics</h2>
      <div id="topics" data-testid="topics"><p class="muted">No topics yet.</p></div>
    </section>
    <section>
      <h2>Consumer groups</h2>
      <div id="groups" data-testid="groups"><p class="muted">No groups yet.</p></div>
    </section>
    <section>
      <h2>Transactions</h2>
      <div id="transactions" data-testid="transactions"><p class="muted">No transactional producers yet.</p></div>
    </section>
    <section>
      <h2>Inject a failure</h2>
      <form id="fail-form" class="grid" data-testid="fail-form">
        <label>API <select name="api"></select></label>
        <label>error <select name="errorCode"></select></label>
        <label>count <input name="count" type="number" min="1" value="1"></label>
        <label>broker <input name="brokerId" type="number" min="1" placeholder="any"></label>
        <label>topic <input name="topic" placeholder="any"></label>
        <label>partition <input name="partition" type="number" min="0" placeholder="any"></label>
        <label>group <input name="groupId" placeholder="any"></label>
        <button type="submit">Fail next</button>
      </form>
      <div id="failures" data-testid="failures"></div>
    </section>
  </div>
  <div class="col wide">
    <section>
      <h2>Records</h2>
      <form id="records-form" class="bar">
        <label>topic <select name="topic" data-testid="records-topic"></select></label>
        <label>partition <select name="partition" data-testid="records-partition"><option value="all">all</option></select></label>
        <label>key contains <input name="key" type="search" data-testid="records-key"></label>
        <label>show <select name="format" data-testid="records-format">
          <option value="auto">auto</option><option value="text">text</option><option value="json">JSON</option><option value="hex">hex</option>
        </select></label>
        <label class="check"><input name="committed" type="checkbox"> read_committed</label>
      </form>
      <div id="records-info" class="muted" data-testid="records-info"></div>
      <table id="records" data-testid="records">
        <thead><tr><th>partition</th><th>offset</th><th>timestamp</th><th>key</th><th>value</th><th>headers</th></tr></thead>
        <tbody></tbody>
      </table>
      <div class="bar">
        <button type="button" id="newest">Newest</button>
        <button type="button" id="newer">Newer</button>
        <button type="button" id="older" data-testid="records-older">Older</button>
      </div>
    </section>
    <section>
      <h2>Requests <span id="requests-count" class="muted"></span></h2>
      <div class="bar">
        <label>filter <input id="requests-filter" type="search" placeholder="API or client id"></label>
        <label class="check"><input id="requests-pause" type="checkbox"> pause</label>
      </div>
      <div class="scroll"><table id="requests" data-testid="requests">
        <thead><tr><th>time</th><th>broker</th><th>API</th><th>client</th><th>correlation</th></tr></thead>
        <tbody></tbody>
      </table></div>
    </section>
  </div>
</main>
<div id="toast" data-testid="toast"></div>
<script src="/app.js"></script>
</body>
</html>
`
}

export const APP_CSS = String.raw`
:root { --bg: #f6f7f9; --card: #fff; --ink: #1d2430; --muted: #6b7380; --line: #e2e5ea; --accent: #0b6bcb;
  --ok: #1a7f37; --bad: #c62828; --warn: #9a6700; font: 13px/1.45 system-ui, sans-serif; color: var(--ink); }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); }
header { display: flex; gap: 14px; align-items: baseline; padding: 10px 18px; background: #14213d; color: #fff; }
header h1 { font-size: 16px; margin: 0; }
header .muted { color: #c5cbd6; }
header code { color: #e5e9f0; }
main { display: grid; grid-template-columns: minmax(500px, 1fr) minmax(560px, 1.4fr); gap: 14px; padding: 14px 18px; }
.col { display: flex; flex-direction: column; gap: 14px; min-width: 0; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; min-width: 0; overflow-x: auto; }
h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 0 0 8px; }
h3 { font-size: 13px; margin: 10px 0 4px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: var(--muted); }
.badge { display: inline-block; padding: 0 6px; border-radius: 9px; font-size: 11px; font-weight: 600; background: #e8ebf0; }
.badge.up { background: #dafbe1; color: var(--ok); }
.badge.down { background: #ffebe9; color: var(--bad); }
.badge.warn { background: #fff8c5; color: var(--warn); }
.badge.schema { background: #ddf4ff; color: var(--accent); }
.live { margin-left: auto; font-size: 12px; }
.live::before { content: "\25CF  "; }
.live.on { color: #7ee787; }
.live.off { color: #ff938a; }
button { font: inherit; white-space: nowrap; padding: 2px 9px; border: 1px solid #c9ced6; border-radius: 5px; background: #fff; cursor: pointer; }
button:hover { border-color: var(--accent); color: var(--accent); }
button.danger:hover { border-color: var(--bad); color: var(--bad); }
input, select { font: inherit; padding: 2px 4px; border: 1px solid #c9ced6; border-radius: 4px; background: #fff; }
input[type=number] { width: 70px; }
.bar { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin: 6px 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 6px 10px; align-items: end; }
.grid label { display: flex; flex-direction: column; gap: 2px; font-size: 12px; color: var(--muted); }
.grid select, .grid input { width: 100%; color: var(--ink); }
label.check { display: flex; gap: 4px; align-items: center; }
pre { margin: 0; white-space: pre-wrap; word-break: break-all; max-height: 160px; overflow: auto;
  font: 12px/1.35 ui-monospace, SFMono-Regular, Menlo, monospace; }
.scroll { max-height: 420px; overflow: auto; }
.inline { display: inline-flex; gap: 4px; align-items: center; }
#records td:nth-child(5) { min-width: 240px; }
tr.uncommitted td { background: #fffbe6; }
#toast { position: fixed; right: 18px; bottom: 18px; max-width: 420px; padding: 8px 12px; border-radius: 6px;
  background: #14213d; color: #fff; opacity: 0; transition: opacity .2s; pointer-events: none; }
#toast.show { opacity: .95; }
#toast.error { background: var(--bad); }
`

export const APP_JS = String.raw`'use strict'
;(function () {
  var token = document.querySelector('meta[name="tributary-token"]').getAttribute('content')
  var state = null
  var requests = []
  var lastRequestSeq = 0
  var view = { topic: '', partition: 'all', key: '', format: 'auto', committed: false, cursors: [], next: null, page: null }
  var rendered = {}
  var recordsMark = ''
  var recordsLoading = false
  var recordsAgain = false

  function $(id) { return document.getElementById(id) }

  function el(tag, props) {
    var node = document.createElement(tag)
    if (props) for (var k in props) {
      if (k === 'text') node.textContent = props[k]
      else if (k === 'className') node.className = props[k]
      else if (k === 'onclick' || k === 'onchange') node[k] = props[k]
      else if (props[k] !== undefined && props[k] !== null) node.setAttribute(k, props[k])
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i]
      if (child === null || child === undefined || child === false) continue
      node.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child)
    }
    return node
  }

  function row(cells, props) {
    var tr = el('tr', props)
    cells.forEach(function (c) {
      tr.appendChild(c instanceof Node && c.tagName === 'TD' ? c : el('td', null, c))
    })
    return tr
  }

  function num(value, props) { return el('td', Object.assign({ className: 'num' }, props || {}), String(value)) }

  function table(headers, rows) {
    var t = el('table')
    t.appendChild(el('thead', null, row(headers.map(function (h) { return el('th', null, h) }))))
    var body = el('tbody')
    rows.forEach(function (r) { body.appendChild(r) })
    t.appendChild(body)
    return t
  }

  function replace(node, children) {
    while (node.firstChild) node.removeChild(node.firstChild)
    children.forEach(function (c) { node.appendChild(c) })
  }

  /** Re-renders a section only when its data changed, so inputs keep their focus and values. */
  function changed(name, data) {
    var json = JSON.stringify(data)
    if (rendered[name] === json) return false
    rendered[name] = json
    return true
  }

  function toast(message, error) {
    var t = $('toast')
    t.textContent = message
    t.className = 'show' + (error ? ' error' : '')
    clearTimeout(toast.timer)
    toast.timer = setTimeout(function () { t.className = '' }, error ? 6000 : 2500)
  }

  function act(name, body, done) {
    return fetch('/api/faults/' + name, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tributary-token': token },
      body: JSON.stringify(body || {}),
    }).then(function (res) {
      return res.json().then(function (json) {
        if (!res.ok) throw new Error(json.error || res.statusText)
        if (json.state) { state = json.state; render() }
        toast(done || name + ': done')
      })
    }).catch(function (error) { toast(error.message, true) })
  }

  // --- state ---

  function render() {
    if (!state) return
    $('cluster-id').textContent = state.clusterId
    $('bootstrap').textContent = state.brokers.map(function (b) { return b.host + ':' + b.port }).join(',')
    renderBrokers()
    renderTopics()
    renderGroups()
    renderTransactions()
    renderFailures()
    renderRecordsForm()
    var mark = recordsMarkOf()
    if (mark !== recordsMark) {
      recordsMark = mark
      if (view.cursors.length === 0) loadRecords()
    }
  }

  function renderBrokers() {
    if (!changed('brokers', [state.brokers, state.controller])) return
    var rows = state.brokers.map(function (b) {
      var latency = el('input', { type: 'number', min: '0', value: String(b.latencyMs), 'data-testid': 'latency-' + b.nodeId })
      return row([
        el('td', null, String(b.nodeId), b.nodeId === state.controller ? el('span', { className: 'muted', text: ' controller' }) : null),
        el('code', { text: b.host + ':' + b.port }),
        el('span', { className: 'badge ' + (b.running ? 'up' : 'down'), text: b.running ? 'up' : 'down', 'data-testid': 'broker-status-' + b.nodeId }),
        el('span', { className: 'inline' }, latency, 'ms', el('button', { type: 'button', text: 'Set', onclick: function () {
          act('latency', { brokerId: b.nodeId, ms: Number(latency.value || 0) }, 'broker ' + b.nodeId + ' latency ' + (latency.value || 0) + ' ms')
        } })),
        el('span', { className: 'inline' },
          b.running
            ? el('button', { type: 'button', className: 'danger', text: 'Stop', 'data-testid': 'stop-broker-' + b.nodeId, onclick: function () { act('stop-broker', { brokerId: b.nodeId }, 'broker ' + b.nodeId + ' stopped') } })
            : el('button', { type: 'button', text: 'Start', 'data-testid': 'start-broker-' + b.nodeId, onclick: function () { act('start-broker', { brokerId: b.nodeId }, 'broker ' + b.nodeId + ' started') } }),
          el('button', { type: 'button', text: 'Disconnect', title: 'Drop the open connections', onclick: function () { act('drop-connections', { brokerId: b.nodeId }, 'broker ' + b.nodeId + ': connections dropped') } })),
      ])
    })
    replace($('brokers'), [table(['id', 'address', 'status', 'latency', ''], rows)])
  }

  function renderTopics() {
    if (!changed('topics', [state.topics, state.brokers.map(function (b) { return b.nodeId })])) return
    if (state.topics.length === 0) return replace($('topics'), [el('p', { className: 'muted', text: 'No topics yet.' })])
    var out = []
    state.topics.forEach(function (t) {
      out.push(el('h3', null, t.name, el('span', { className: 'muted', text: '  ' + t.partitions.length + ' partition(s), id ' + t.id })))
      out.push(table(['partition', 'leader', 'epoch', 'replicas', 'start', 'end', 'stable', 'move leader'], t.partitions.map(function (p) {
        var id = t.name + '-' + p.partition
        var select = el('select', { 'data-testid': 'move-to-' + id })
        state.brokers.forEach(function (b) {
          if (b.nodeId !== p.leader) select.appendChild(el('option', { value: String(b.nodeId), text: 'to ' + b.nodeId }))
        })
        return row([
          num(p.partition),
          el('td', { 'data-testid': 'leader-' + id }, p.leader === -1 ? el('span', { className: 'badge down', text: 'none' }) : String(p.leader)),
          num(p.leaderEpoch),
          p.replicas.join(', '),
          num(p.startOffset),
          num(p.endOffset, { 'data-testid': 'end-' + id }),
          num(p.lastStableOffset),
          select.options.length === 0 ? '' : el('span', { className: 'inline' }, select, el('button', {
            type: 'button', text: 'Move', 'data-testid': 'move-' + id,
            onclick: function () {
              act('move-leader', { topic: t.name, partition: p.partition, brokerId: Number(select.value) },
                id + ': leader moved to broker ' + select.value)
            },
          })),
        ])
      })))
    })
    replace($('topics'), out)
  }

  function assignmentText(a) {
    if (!a) return ''
    return Object.keys(a).map(function (topic) { return topic + ' [' + a[topic].join(', ') + ']' }).join('; ')
  }

  function renderGroups() {
    if (!changed('groups', state.groups)) return
    if (state.groups.length === 0) return replace($('groups'), [el('p', { className: 'muted', text: 'No groups yet.' })])
    var out = []
    state.groups.forEach(function (g) {
      out.push(el('h3', null, g.groupId, el('span', { className: 'muted', text: '  ' + g.type + ', ' + (g.protocol || 'no protocol') +
        ', generation ' + g.generation + ', coordinator ' + (g.coordinator === null ? '-' : g.coordinator) + ' ' }),
        el('span', { className: 'badge' + (g.state === 'Stable' ? ' up' : g.state === 'Empty' || g.state === 'Dead' ? '' : ' warn'), text: g.state })))
      if (g.members.length > 0) out.push(table(['member', 'client', 'host', 'assignment', ''], g.members.map(function (m) {
        return row([
          el('code', { text: m.memberId + (m.memberId === g.leader ? ' (leader)' : '') }),
          m.clientId, m.clientHost, assignmentText(m.assignment),
          el('button', { type: 'button', className: 'danger', text: 'Kick', onclick: function () {
            act('kick-member', { groupId: g.groupId, memberId: m.memberId }, m.memberId + ' kicked')
          } }),
        ])
      })))
      if (g.offsets.length > 0) out.push(table(['partition', 'committed', 'end', 'lag'], g.offsets.map(function (o) {
        return row([o.topic + '-' + o.partition, num(o.offset), num(o.endOffset === null ? '-' : o.endOffset),
          num(o.lag === null ? '-' : o.lag, { 'data-testid': 'lag-' + g.groupId + '-' + o.topic + '-' + o.partition })])
      })))
    })
    replace($('groups'), out)
  }

  function renderTransactions() {
    if (!changed('transactions', state.transactions)) return
    if (state.transactions.length === 0) return replace($('transactions'), [el('p', { className: 'muted', text: 'No transactional producers yet.' })])
    replace($('transactions'), [table(['transactional id', 'producer', 'epoch', 'status', 'partitions', 'groups'], state.transactions.map(function (t) {
      return row([
        el('code', { text: t.transactionalId }), num(t.producerId), num(t.epoch),
        el('span', { className: 'badge' + (t.status === 'ongoing' ? ' warn' : t.status === 'aborted' ? ' down' : t.status === 'committed' ? ' up' : ''), text: t.status }),
        t.partitions.map(function (p) { return p.topic + '-' + p.partition }).join(', '),
        t.groups.join(', '),
      ])
    }))])
  }

  function renderFailures() {
    if (!changed('failures', state.failures)) return
    if (state.failures.length === 0) return replace($('failures'), [el('p', { className: 'muted', text: 'No pending failures.' })])
    replace($('failures'), [
      table(['API', 'error', 'left', 'only'], state.failures.map(function (f) {
        var only = []
        if (f.brokerId !== null) only.push('broker ' + f.brokerId)
        if (f.topic !== null) only.push(f.topic + (f.partition !== null ? '-' + f.partition : ''))
        if (f.groupId !== null) only.push('group ' + f.groupId)
        return row([f.api, f.errorName + ' (' + f.errorCode + ')', num(f.remaining), only.join(', ')])
      })),
      el('div', { className: 'bar' }, el('button', { type: 'button', text: 'Clear pending failures', onclick: function () { act('clear-failures', {}, 'pending failures cleared') } })),
    ])
  }

  // --- records ---

  function renderRecordsForm() {
    var form = $('records-form')
    var topics = state.topics.map(function (t) { return t.name })
    if (changed('records-topics', topics)) {
      var select = form.elements.topic
      replace(select, topics.map(function (name) { return el('option', { value: name, text: name }) }))
      if (topics.indexOf(view.topic) < 0) view.topic = topics[0] || ''
      select.value = view.topic
    }
    var topic = topicOf(view.topic)
    var count = topic ? topic.partitions.length : 0
    if (changed('records-partitions', [view.topic, count])) {
      var ps = form.elements.partition
      var options = [el('option', { value: 'all', text: 'all' })]
      for (var i = 0; i < count; i++) options.push(el('option', { value: String(i), text: String(i) }))
      replace(ps, options)
      if (view.partition !== 'all' && Number(view.partition) >= count) view.partition = 'all'
      ps.value = view.partition
    }
  }

  function topicOf(name) {
    if (!state) return null
    for (var i = 0; i < state.topics.length; i++) if (state.topics[i].name === name) return state.topics[i]
    return null
  }

  function recordsMarkOf() {
    var t = topicOf(view.topic)
    return view.topic + '|' + (t ? t.partitions.map(function (p) { return p.startOffset + '-' + p.endOffset + '-' + p.lastStableOffset }).join(',') : '')
  }

  function loadRecords() {
    if (!view.topic) { replace(document.querySelector('#records tbody'), []); $('records-info').textContent = 'No topic to show.'; return }
    if (recordsLoading) { recordsAgain = true; return }
    recordsLoading = true
    var q = new URLSearchParams({ topic: view.topic, partition: view.partition, limit: '50' })
    if (view.key) q.set('key', view.key)
    if (view.committed) q.set('isolation', 'read_committed')
    var cursor = view.cursors[view.cursors.length - 1]
    if (cursor) q.set('before', cursor)
    fetch('/api/records?' + q.toString()).then(function (res) {
      return res.json().then(function (json) {
        if (!res.ok) throw new Error(json.error || res.statusText)
        view.page = json
        view.next = json.next
        renderRecords()
      })
    }).catch(function (error) { $('records-info').textContent = error.message }).then(function () {
      recordsLoading = false
      if (recordsAgain) { recordsAgain = false; loadRecords() }
    })
  }

  function shown(value, format) {
    if (value.size === null) return el('span', { className: 'muted', text: 'null' })
    var badge = null
    var text
    if (format === 'hex') text = value.hex.replace(/(..)/g, '$1 ').trim() + (value.truncated ? ' …' : '')
    else if (format === 'json') text = value.json || (value.schema && value.schema.json) || value.text
    else if (format === 'text') text = value.text
    else if (value.schema && value.schema.json) {
      text = value.schema.json
      badge = el('span', { className: 'badge schema', text: value.schema.type.toLowerCase() + ' #' + value.schema.id + (value.schema.message ? ' ' + value.schema.message : '') })
    } else text = value.json || value.text
    if (value.schema && value.schema.error && format === 'auto') badge = el('span', { className: 'badge down', text: 'schema #' + value.schema.id + ': ' + value.schema.error })
    if (text === undefined || text === null) {
      text = value.hex.replace(/(..)/g, '$1 ').trim() + (value.truncated ? ' …' : '')
      badge = badge || el('span', { className: 'badge', text: 'binary, ' + value.size + ' B' })
    }
    return el('div', null, badge, el('pre', { text: text }))
  }

  function timeText(ms) {
    var d = new Date(Number(ms))
    return isNaN(d.getTime()) ? String(ms) : d.toISOString().replace('T', ' ').replace('Z', '')
  }

  function renderRecords() {
    var page = view.page
    var rows = page.records.map(function (r) {
      return row([
        num(r.partition),
        num(r.offset),
        el('span', { title: r.timestamp + ' ms', text: timeText(r.timestamp) }),
        shown(r.key, view.format),
        el('td', null, shown(r.value, view.format),
          r.uncommitted ? el('span', { className: 'badge warn', text: 'uncommitted' }) : null,
          r.compression !== 'none' ? el('span', { className: 'badge', text: r.compression }) : null),
        r.headers.length === 0 ? '' : el('pre', { text: r.headers.map(function (h) { return h.key + ': ' + (h.value.size === null ? 'null' : h.value.text !== undefined ? h.value.text : '0x' + h.value.hex) }).join('\n') }),
      ], { className: r.uncommitted ? 'uncommitted' : '', 'data-testid': 'record-' + r.partition + '-' + r.offset })
    })
    replace(document.querySelector('#records tbody'), rows)
    var info = page.records.length + ' record(s)' + (view.cursors.length === 0 ? ', newest first, live' : ', page ' + (view.cursors.length + 1))
    if (view.key) info += ', ' + page.scanned + ' examined'
    if (page.errors.length > 0) info += '; ' + page.errors.join('; ')
    $('records-info').textContent = info
    $('older').disabled = !view.next
    $('newer').disabled = view.cursors.length === 0
    $('newest').disabled = view.cursors.length === 0
  }

  function recordsFormChanged() {
    var form = $('records-form')
    view.topic = form.elements.topic.value
    view.partition = form.elements.partition.value
    view.key = form.elements.key.value
    view.format = form.elements.format.value
    view.committed = form.elements.committed.checked
    view.cursors = []
    renderRecordsForm()
    loadRecords()
  }

  // --- requests ---

  function addRequests(batch) {
    if (batch.lastSeq < lastRequestSeq) requests = []
    lastRequestSeq = batch.lastSeq
    requests = requests.concat(batch.entries)
    if (requests.length > 500) requests = requests.slice(requests.length - 500)
    if (!$('requests-pause').checked) renderRequests()
  }

  function renderRequests() {
    var filter = $('requests-filter').value.toLowerCase()
    var shownRequests = []
    for (var i = requests.length - 1; i >= 0 && shownRequests.length < 200; i--) {
      var r = requests[i]
      if (filter && (r.apiName + ' ' + (r.clientId || '')).toLowerCase().indexOf(filter) < 0) continue
      shownRequests.push(r)
    }
    replace(document.querySelector('#requests tbody'), shownRequests.map(function (r) {
      return row([
        new Date(r.time).toISOString().slice(11, 23), num(r.brokerId), r.apiName + ' v' + r.apiVersion,
        r.clientId === null ? el('span', { className: 'muted', text: 'null' }) : r.clientId, num(r.correlationId),
      ])
    }))
    $('requests-count').textContent = '(' + lastRequestSeq + ' so far)'
  }

  // --- wiring ---

  function fillFailForm(meta) {
    if (meta.registry) $('registry').textContent = 'schema registry ' + meta.registry
    var form = $('fail-form')
    replace(form.elements.api, meta.failableApis.map(function (name) { return el('option', { value: name, text: name }) }))
    replace(form.elements.errorCode, meta.errorCodes.map(function (e) {
      return el('option', { value: String(e.code), text: e.name + ' (' + e.code + ')' + (e.retriable ? ', retriable' : '') })
    }))
    form.elements.errorCode.value = '6'
    form.onsubmit = function (event) {
      event.preventDefault()
      var body = {}
      ;['api', 'errorCode', 'count', 'brokerId', 'topic', 'partition', 'groupId'].forEach(function (name) {
        var v = form.elements[name].value
        if (v !== '') body[name] = ['errorCode', 'count', 'brokerId', 'partition'].indexOf(name) >= 0 ? Number(v) : v
      })
      act('fail-next', body, 'the next ' + (body.count || 1) + ' ' + body.api + ' request(s) fail')
    }
  }

  $('records-form').onchange = recordsFormChanged
  $('records-form').onsubmit = function (event) { event.preventDefault(); recordsFormChanged() }
  var keyTimer = null
  $('records-form').elements.key.oninput = function () { clearTimeout(keyTimer); keyTimer = setTimeout(recordsFormChanged, 300) }
  $('older').onclick = function () { if (view.next) { view.cursors.push(view.next); loadRecords() } }
  $('newer').onclick = function () { view.cursors.pop(); loadRecords() }
  $('newest').onclick = function () { view.cursors = []; loadRecords() }
  $('requests-filter').oninput = renderRequests
  $('requests-pause').onchange = renderRequests

  fetch('/api/meta').then(function (res) { return res.json() }).then(fillFailForm)

  var events = new EventSource('/api/events')
  events.onopen = function () { $('live').className = 'live on'; $('live').textContent = 'live' }
  events.onerror = function () { $('live').className = 'live off'; $('live').textContent = 'disconnected, retrying' }
  events.addEventListener('state', function (event) { state = JSON.parse(event.data); render() })
  events.addEventListener('requests', function (event) { addRequests(JSON.parse(event.data)) })
})()
`
