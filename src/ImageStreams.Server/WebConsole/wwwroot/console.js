'use strict';

// The ImageStreams console: pages over the server's own API, kept live by its watch streams.
(() => {
  const TOKEN_KEY = 'imagestreams.token';
  const IMAGE_API = '/apis/image.openshift.io/v1';
  const CORE_API = '/api/v1';

  // ---- DOM ---------------------------------------------------------------------------------------------------

  // Builds elements from data; text always goes in as text, never as markup.
  function h(tag, attrs, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
      else if (name === 'class') element.className = value;
      else element.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      element.append(child instanceof Node ? child : String(child));
    }
    return element;
  }

  const main = () => document.getElementById('main');

  function show(...content) {
    main().replaceChildren(...content.flat(Infinity).filter(Boolean));
  }

  function crumbs(...items) {
    const list = document.getElementById('crumbs');
    list.replaceChildren(...items.map(([label, href]) =>
      h('li', null, href ? h('a', { href }, label) : h('span', { 'aria-current': 'page' }, label))));
    document.title = items.length ? `${items[items.length - 1][0]} · ImageStreams` : 'ImageStreams';
  }

  function setLive(on) {
    const live = document.getElementById('live');
    live.classList.toggle('on', on);
    live.textContent = on ? 'Live' : 'Reconnecting…';
  }

  // ---- Formatting --------------------------------------------------------------------------------------------

  function age(timestamp) {
    if (!timestamp) return '';
    const seconds = Math.max(0, Math.round((Date.now() - Date.parse(timestamp)) / 1000));
    return `${duration(seconds)} ago`;
  }

  function until(timestamp, now) {
    const seconds = Math.round((Date.parse(timestamp) - Date.parse(now)) / 1000);
    return seconds <= 0 ? 'now' : `in ${duration(seconds)}`;
  }

  function duration(seconds) {
    if (seconds < 60) return `${seconds}s`;
    if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
    if (seconds < 86400) return `${Math.floor(seconds / 3600)}h`;
    return `${Math.floor(seconds / 86400)}d`;
  }

  function size(bytes) {
    if (bytes === null || bytes === undefined) return '';
    const units = ['B', 'KiB', 'MiB', 'GiB'];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
    return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
  }

  const shortDigest = (digest) => (digest || '').replace(/^(sha256:[0-9a-f]{12}).*$/, '$1');

  const when = (timestamp) => h('time', { datetime: timestamp, title: timestamp }, age(timestamp));

  // ---- API ---------------------------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, message, reason) {
      super(message);
      this.status = status;
      this.reason = reason;
    }
  }

  let page = new AbortController();

  function headers(extra) {
    const result = { Accept: 'application/json', ...extra };
    const token = localStorage.getItem(TOKEN_KEY);
    if (token) result.Authorization = `Bearer ${token}`;
    return result;
  }

  async function request(method, path, body, contentType) {
    const init = { method, headers: headers(body === undefined ? {} : { 'Content-Type': contentType || 'application/json' }), signal: page.signal };
    if (body !== undefined) init.body = JSON.stringify(body);
    const response = await fetch(path, init);
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    if (!response.ok) {
      throw new ApiError(response.status, (json && json.message) || text || response.statusText, json && json.reason);
    }
    return json;
  }

  // Follows a watch stream from a resource version; returns 'relist' when the version is too old (410), and
  // reconnects by itself when the connection drops.
  async function watch(path, resourceVersion, onEvent, signal) {
    let version = resourceVersion;
    while (!signal.aborted) {
      try {
        const separator = path.includes('?') ? '&' : '?';
        const response = await fetch(`${path}${separator}watch=true&allowWatchBookmarks=true&resourceVersion=${encodeURIComponent(version)}`,
          { headers: headers(), signal });
        if (response.status === 401) { signIn(); return 'stopped'; }
        if (response.status === 410) return 'relist';
        if (!response.ok) throw new ApiError(response.status, response.statusText);
        setLive(true);
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let newline;
          while ((newline = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, newline).trim();
            buffer = buffer.slice(newline + 1);
            if (!line) continue;
            const event = JSON.parse(line);
            if (event.type === 'ERROR') return 'relist';
            version = (event.object && event.object.metadata && event.object.metadata.resourceVersion) || version;
            if (event.type !== 'BOOKMARK') onEvent(event.type, event.object);
          }
        }
      } catch (error) {
        if (signal.aborted) return 'stopped';
      }
      setLive(false);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    return 'stopped';
  }

  // Lists a collection, renders it, and renders again on every change the watch brings.
  function live(path, render) {
    const signal = page.signal;
    const items = new Map();
    const key = (o) => `${o.metadata.namespace || ''}/${o.metadata.name}`;
    const draw = () => render([...items.values()].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)));
    page.redraw = draw;
    (async () => {
      for (;;) {
        const list = await request('GET', path);
        items.clear();
        for (const item of list.items || []) items.set(key(item), item);
        draw();
        const outcome = await watch(path, list.metadata.resourceVersion, (type, object) => {
          if (type === 'DELETED') items.delete(key(object));
          else items.set(key(object), object);
          draw();
        }, signal);
        if (outcome !== 'relist') return;
      }
    })().catch(failed);
  }

  // ---- Shared pieces -----------------------------------------------------------------------------------------

  function failed(error) {
    if (page.signal.aborted) return;
    if (error instanceof ApiError && error.status === 401) { signIn(); return; }
    show(
      h('div', { class: 'alert', role: 'alert' }, errorText(error)),
      h('button', { type: 'button', class: 'secondary', onclick: () => route() }, 'Try again'));
  }

  function errorText(error) {
    if (error instanceof ApiError) return `${error.message} (${error.status}${error.reason ? ` ${error.reason}` : ''})`;
    return `The server could not be reached: ${error.message}`;
  }

  // Runs one action of a form with a progress line, and reports how it ended under the form.
  async function act(form, busyText, action) {
    const status = form.querySelector('.result') || form.appendChild(h('div', { class: 'result', role: 'status', 'aria-live': 'polite' }));
    const buttons = [...form.querySelectorAll('button')];
    buttons.forEach((b) => { b.disabled = true; });
    status.replaceChildren(h('p', { class: 'muted' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), busyText));
    try {
      const message = await action();
      status.replaceChildren(message ? h('div', { class: 'notice' }, message) : '');
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) { signIn(); return; }
      status.replaceChildren(h('div', { class: 'alert', role: 'alert' }, errorText(error)));
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  }

  function field(label, name, attrs) {
    return h('label', null, label, h('input', { type: 'text', name, autocomplete: 'off', ...attrs }));
  }

  function checkbox(label, name) {
    return h('label', { class: 'check' }, h('input', { type: 'checkbox', name }), label);
  }

  function table(caption, columns, rows, empty) {
    if (rows.length === 0) return h('div', { class: 'empty' }, empty);
    return h('div', { class: 'table-wrap' }, h('table', { class: 'responsive' },
      h('caption', { class: 'muted', hidden: true }, caption),
      h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, rows.map((cells) => h('tr', null, cells.map((cell, i) => h('td', { 'data-label': columns[i] }, cell)))))));
  }

  const failingCondition = (statusTag) =>
    ((statusTag && statusTag.conditions) || []).find((c) => c.type === 'ImportSuccess' && c.status === 'False');

  function importBody(images) {
    return { apiVersion: 'image.openshift.io/v1', kind: 'ImageStreamImport', spec: { import: true, images } };
  }

  // What an ImageStreamImport answered for its first image, as a sentence, or an error to throw.
  function importOutcome(result, tag) {
    const image = ((result && result.status && result.status.images) || [])[0];
    if (!image) return `Imported ${tag}.`;
    if (image.status && image.status.status === 'Failure') throw new ApiError(image.status.code || 500, image.status.message, image.status.reason);
    return `Imported ${tag}: ${shortDigest(image.image && image.image.metadata && image.image.metadata.name)}.`;
  }

  // ---- Pages -------------------------------------------------------------------------------------------------

  function namespacesPage() {
    crumbs(['Projects']);
    const form = h('form', { class: 'inline', 'aria-label': 'Create a project' },
      field('Name', 'name', { required: true, placeholder: 'team-a', pattern: '[a-z0-9]([a-z0-9\\-]*[a-z0-9])?' }),
      h('button', { type: 'submit' }, 'Create project'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const name = form.elements.name.value.trim();
      act(form, `Creating ${name}…`, async () => {
        await request('POST', `${CORE_API}/namespaces`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
        form.reset();
        return `Project ${name} created.`;
      });
    });
    const list = h('div', null, h('p', { class: 'muted' }, 'Loading projects…'));
    show(h('h1', null, 'Projects'), list, h('h2', null, 'New project'), h('div', { class: 'panel' }, form));
    live(`${CORE_API}/namespaces`, (namespaces) => {
      list.replaceChildren(table('Projects', ['Name', 'Status', 'Created'],
        namespaces.map((ns) => [
          h('a', { href: `#/ns/${encodeURIComponent(ns.metadata.name)}` }, ns.metadata.name),
          (ns.status && ns.status.phase) || 'Active',
          when(ns.metadata.creationTimestamp),
        ]),
        'No projects yet. Create one below, or with: isctl new-project NAME'));
    });
  }

  function streamsPage(ns) {
    crumbs(['Projects', '#/'], [ns]);
    const form = h('form', { class: 'inline', 'aria-label': 'Import an image' },
      field('Image', 'from', { required: true, placeholder: 'registry.example.com/repo:tag', size: 36 }),
      field('Image stream', 'stream', { required: true, placeholder: 'rhel7' }),
      field('Tag', 'tag', { placeholder: 'latest' }),
      checkbox('Import periodically', 'scheduled'),
      checkbox('Allow insecure registry', 'insecure'),
      h('button', { type: 'submit' }, 'Import'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const from = form.elements.from.value.trim();
      const stream = form.elements.stream.value.trim();
      const tag = form.elements.tag.value.trim() || 'latest';
      act(form, `Importing ${from}…`, async () => {
        const result = await request('POST', `${IMAGE_API}/namespaces/${encodeURIComponent(ns)}/imagestreamimports`, {
          ...importBody([{
            from: { kind: 'DockerImage', name: from },
            to: { name: tag },
            importPolicy: { scheduled: form.elements.scheduled.checked, insecure: form.elements.insecure.checked },
            referencePolicy: { type: 'Source' },
          }]),
          metadata: { name: stream, namespace: ns },
        });
        const message = importOutcome(result, `${stream}:${tag}`);
        location.hash = `#/ns/${encodeURIComponent(ns)}/is/${encodeURIComponent(stream)}`;
        return message;
      });
    });
    const list = h('div', null, h('p', { class: 'muted' }, 'Loading image streams…'));
    show(h('h1', null, `Image streams in ${ns}`), list, h('h2', null, 'Import an image'), h('div', { class: 'panel' }, form));
    live(`${IMAGE_API}/namespaces/${encodeURIComponent(ns)}/imagestreams`, (streams) => {
      list.replaceChildren(table('Image streams', ['Name', 'Tags', 'Updated', 'Image repository'],
        streams.map((is) => {
          const tags = (is.status && is.status.tags) || [];
          const specTags = (is.spec && is.spec.tags) || [];
          const names = [...new Set([...specTags.map((t) => t.name), ...tags.map((t) => t.tag)])].sort();
          const latest = tags.flatMap((t) => (t.items || []).map((i) => i.created)).sort().pop();
          const errors = tags.filter((t) => failingCondition(t)).length;
          return [
            h('a', { href: `#/ns/${encodeURIComponent(ns)}/is/${encodeURIComponent(is.metadata.name)}` }, is.metadata.name),
            h('span', null,
              names.map((name) => h('span', { class: `badge${failingCondition(tags.find((t) => t.tag === name)) ? ' error' : ''}` }, name)),
              errors ? h('span', { class: 'badge error' }, `${errors} import error${errors > 1 ? 's' : ''}`) : null),
            latest ? when(latest) : h('span', { class: 'muted' }, 'never'),
            h('code', null, (is.status && is.status.dockerImageRepository) || ''),
          ];
        }),
        'No image streams here yet. Import an image below, or with: isctl import-image NAME --from IMAGE --confirm'));
    });
  }

  function tagSource(specTag) {
    if (!specTag || !specTag.from) return 'pushed to this stream';
    const from = specTag.from;
    const policy = specTag.importPolicy || {};
    if (from.kind === 'DockerImage') {
      if (specTag.reference) return `reference to registry ${from.name}`;
      return policy.scheduled ? `updates automatically from registry ${from.name}` : `tagged from ${from.name}`;
    }
    const source = from.namespace ? `${from.namespace}/${from.name}` : from.name;
    return from.kind === 'ImageStreamTag' ? `tracks ${source}` : `tagged from ${source}`;
  }

  function scheduleLine(entry, schedule) {
    if (!entry) return null;
    const parts = [];
    if (entry.lastChecked) parts.push(`last checked ${age(entry.lastChecked)}${entry.lastResult ? ` (${entry.lastResult})` : ''}`);
    if (entry.nextRetry) parts.push(`retry ${until(entry.nextRetry, schedule.now)} after ${entry.consecutiveFailures} failure${entry.consecutiveFailures === 1 ? '' : 's'}`);
    else if (entry.nextCheck) parts.push(`next check ${until(entry.nextCheck, schedule.now)}`);
    else if (entry.state) parts.push(entry.state);
    return h('p', { class: 'schedule' }, `Scheduled every ${schedule.interval}: `, parts.join(' · '));
  }

  function tagPanel(ns, stream, name, specTag, statusTag, schedule) {
    const items = (statusTag && statusTag.items) || [];
    const failure = failingCondition(statusTag);
    const entry = schedule && (schedule.tags || []).find((t) => t.tag === name);
    const canImport = specTag && specTag.from && specTag.from.kind === 'DockerImage';
    const form = h('form', { class: 'inline' });
    if (canImport) {
      form.append(h('button', { type: 'submit', class: 'secondary', 'aria-label': `Import ${name} now` }, 'Import now'));
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        act(form, `Importing ${specTag.from.name}…`, async () => {
          const result = await request('POST', `${IMAGE_API}/namespaces/${encodeURIComponent(ns)}/imagestreamimports`, {
            ...importBody([{
              from: specTag.from,
              to: { name },
              importPolicy: specTag.importPolicy || {},
              referencePolicy: specTag.referencePolicy || { type: 'Source' },
            }]),
            metadata: { name: stream, namespace: ns },
          });
          return importOutcome(result, `${stream}:${name}`);
        });
      });
    }
    return h('section', { class: 'panel tag', 'aria-label': `Tag ${name}`, 'data-tag': name },
      h('div', { class: 'tag-head' },
        h('h3', null, name, specTag && specTag.importPolicy && specTag.importPolicy.scheduled ? h('span', { class: 'badge sched' }, 'scheduled') : null),
        form),
      h('p', { class: 'tag-source' }, tagSource(specTag)),
      schedule && schedule.enabled ? scheduleLine(entry, schedule) : null,
      failure ? h('div', { class: 'alert', role: 'alert' },
        `Import failed${failure.reason ? ` (${failure.reason})` : ''}: ${failure.message || ''} `, when(failure.lastTransitionTime)) : null,
      items.length === 0
        ? h('p', { class: 'muted' }, failure ? 'No image yet.' : 'No image yet: the first import is on its way.')
        : h('ol', { class: 'timeline', 'aria-label': `History of ${name}` },
          items.map((item, index) => h('li', { class: index === 0 ? 'current' : null },
            h('a', { href: `#/ns/${encodeURIComponent(ns)}/is/${encodeURIComponent(stream)}/image/${encodeURIComponent(item.image)}` },
              h('code', null, shortDigest(item.image))),
            index === 0 ? h('span', { class: 'badge ok' }, 'current') : null,
            h('div', { class: 'when' }, when(item.created), ' · ', h('code', null, item.dockerImageReference || ''))))));
  }

  function streamPage(ns, name) {
    crumbs(['Projects', '#/'], [ns, `#/ns/${encodeURIComponent(ns)}`], [name]);
    const base = `${IMAGE_API}/namespaces/${encodeURIComponent(ns)}/imagestreams`;
    const header = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
    const tags = h('div');
    let current = null;
    let schedule = null;

    const form = h('form', { class: 'inline', 'aria-label': 'Add or change a tag' },
      field('Tag', 'tag', { required: true, placeholder: 'latest' }),
      field('Source', 'from', { required: true, placeholder: 'registry.example.com/repo:tag or stream:tag', size: 36 }),
      h('label', null, 'Kind', h('select', { name: 'kind' },
        h('option', { value: 'DockerImage' }, 'Registry image'),
        h('option', { value: 'ImageStreamTag' }, 'Image stream tag'))),
      checkbox('Import periodically', 'scheduled'),
      h('button', { type: 'submit' }, 'Save tag'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const tag = form.elements.tag.value.trim();
      const from = { kind: form.elements.kind.value, name: form.elements.from.value.trim() };
      act(form, `Saving ${tag}…`, async () => {
        await request('PATCH', `${base}/${encodeURIComponent(name)}`,
          { spec: { tags: [{ name: tag, from, importPolicy: { scheduled: form.elements.scheduled.checked } }] } },
          'application/strategic-merge-patch+json');
        form.reset();
        return `Tag ${tag} set to ${from.name}.`;
      });
    });

    const draw = () => {
      if (!current) {
        header.replaceChildren(h('div', { class: 'empty' }, `There is no image stream ${name} in ${ns}.`));
        tags.replaceChildren();
        return;
      }
      const specTags = (current.spec && current.spec.tags) || [];
      const statusTags = (current.status && current.status.tags) || [];
      const names = [...new Set([...specTags.map((t) => t.name), ...statusTags.map((t) => t.tag)])]
        .sort((a, b) => (a === 'latest' ? -1 : b === 'latest' ? 1 : a.localeCompare(b)));
      const images = new Set(statusTags.flatMap((t) => (t.items || []).map((i) => i.image)));
      header.replaceChildren(h('dl', { class: 'facts panel' },
        h('dt', null, 'Image repository'), h('dd', null, h('code', null, (current.status && current.status.dockerImageRepository) || '')),
        h('dt', null, 'Created'), h('dd', null, when(current.metadata.creationTimestamp)),
        h('dt', null, 'Unique images'), h('dd', null, String(images.size)),
        h('dt', null, 'Tags'), h('dd', null, String(names.length))));
      tags.replaceChildren(...(names.length === 0
        ? [h('div', { class: 'empty' }, 'No tags yet. Add one below, or push an image to the repository above.')]
        : names.map((tag) => tagPanel(ns, name, tag, specTags.find((t) => t.name === tag), statusTags.find((t) => t.tag === tag), schedule))));
    };

    const signal = page.signal;
    const refreshSchedule = async () => {
      if (!current) return;
      try {
        schedule = await request('GET', `${base}/${encodeURIComponent(name)}/schedule`);
      } catch (error) {
        schedule = null;
      }
      if (!signal.aborted) draw();
    };
    const timer = setInterval(refreshSchedule, 15000);
    signal.addEventListener('abort', () => clearInterval(timer));

    show(h('h1', null, name), header, h('h2', null, 'Tags'), tags, h('h2', null, 'Add or change a tag'), h('div', { class: 'panel' }, form));
    live(`${base}?fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`, (streams) => {
      current = streams[0] || null;
      draw();
      refreshSchedule();
    });
    page.redraw = draw;
  }

  async function imagePage(ns, stream, digest) {
    crumbs(['Projects', '#/'], [ns, `#/ns/${encodeURIComponent(ns)}`], [stream, `#/ns/${encodeURIComponent(ns)}/is/${encodeURIComponent(stream)}`], [shortDigest(digest)]);
    show(h('p', { class: 'muted' }, 'Loading image…'));
    const view = await request('GET', `${IMAGE_API}/namespaces/${encodeURIComponent(ns)}/imagestreamimages/${encodeURIComponent(`${stream}@${digest}`)}`);
    const image = view.image || {};
    const metadata = image.dockerImageMetadata || {};
    const config = metadata.Config || {};
    const layers = image.dockerImageLayers || [];
    const labels = Object.entries(config.Labels || {}).sort(([a], [b]) => a.localeCompare(b));
    const list = (values) => (values && values.length ? h('code', null, JSON.stringify(values)) : h('span', { class: 'muted' }, 'none'));
    show(
      h('h1', null, `${stream}@${shortDigest(digest)}`),
      h('dl', { class: 'facts panel' },
        h('dt', null, 'Digest'), h('dd', null, h('code', null, image.metadata && image.metadata.name)),
        h('dt', null, 'Pull spec'), h('dd', null, h('code', null, image.dockerImageReference || '')),
        h('dt', null, 'Created'), h('dd', null, metadata.Created ? when(metadata.Created) : h('span', { class: 'muted' }, 'unknown')),
        h('dt', null, 'Platform'), h('dd', null, [metadata.Os, metadata.Architecture, metadata.Variant].filter(Boolean).join('/') || 'unknown'),
        h('dt', null, 'Size'), h('dd', null, size(metadata.Size)),
        h('dt', null, 'Manifest type'), h('dd', null, h('code', null, image.dockerImageManifestMediaType || '')),
        h('dt', null, 'Command'), h('dd', null, list(config.Cmd)),
        h('dt', null, 'Entrypoint'), h('dd', null, list(config.Entrypoint)),
        h('dt', null, 'Working directory'), h('dd', null, config.WorkingDir || h('span', { class: 'muted' }, 'none')),
        h('dt', null, 'User'), h('dd', null, config.User || h('span', { class: 'muted' }, 'none')),
        h('dt', null, 'Exposed ports'), h('dd', null, Object.keys(config.ExposedPorts || {}).join(', ') || h('span', { class: 'muted' }, 'none'))),
      h('h2', null, `Layers (${layers.length})`),
      table('Layers', ['#', 'Digest', 'Size', 'Media type'],
        layers.map((layer, index) => [String(index + 1), h('code', { title: layer.name }, shortDigest(layer.name)), size(layer.size), h('code', null, layer.mediaType)]),
        'This image has no layers.'),
      h('h2', null, 'Labels'),
      table('Labels', ['Name', 'Value'], labels.map(([k, v]) => [h('code', null, k), v]), 'No labels.'),
      h('h2', null, 'Environment'),
      table('Environment', ['Variable', 'Value'],
        (config.Env || []).map((e) => { const i = e.indexOf('='); return [h('code', null, i < 0 ? e : e.slice(0, i)), i < 0 ? '' : e.slice(i + 1)]; }),
        'No environment variables.'));
  }

  // ---- Sign in -----------------------------------------------------------------------------------------------

  function signIn() {
    page.abort();
    crumbs(['Sign in']);
    const form = h('form', { class: 'inline', 'aria-label': 'Sign in' },
      h('label', null, 'Token', h('input', { type: 'password', name: 'token', required: true, autocomplete: 'current-password' })),
      h('button', { type: 'submit' }, 'Sign in'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      localStorage.setItem(TOKEN_KEY, form.elements.token.value.trim());
      route();
    });
    const had = localStorage.getItem(TOKEN_KEY);
    show(
      h('h1', null, 'Sign in'),
      had ? h('div', { class: 'alert', role: 'alert' }, 'The server did not accept the token: it may have expired or been revoked.') : null,
      h('div', { class: 'panel' },
        h('p', null, 'Paste an API token. ', h('code', null, 'isctl whoami -t'), ' prints yours.'),
        form));
    form.elements.token.focus();
  }

  // ---- Routing -----------------------------------------------------------------------------------------------

  const routes = [
    [/^#?\/?$/, namespacesPage],
    [/^#\/ns\/([^/]+)$/, streamsPage],
    [/^#\/ns\/([^/]+)\/is\/([^/]+)$/, streamPage],
    [/^#\/ns\/([^/]+)\/is\/([^/]+)\/image\/([^/]+)$/, imagePage],
  ];

  function route() {
    page.abort();
    page = new AbortController();
    document.getElementById('signout').hidden = !localStorage.getItem(TOKEN_KEY);
    const hash = location.hash || '#/';
    for (const [pattern, render] of routes) {
      const match = pattern.exec(hash);
      if (match) {
        Promise.resolve()
          .then(() => render(...match.slice(1).map(decodeURIComponent)))
          .catch(failed);
        return;
      }
    }
    crumbs(['Not found']);
    show(h('div', { class: 'empty' }, 'There is no such page. ', h('a', { href: '#/' }, 'Go to the projects.')));
  }

  window.addEventListener('hashchange', () => {
    route();
    main().focus({ preventScroll: true });
  });
  document.addEventListener('DOMContentLoaded', () => {
    document.getElementById('signout').addEventListener('click', () => {
      localStorage.removeItem(TOKEN_KEY);
      signIn();
    });
    // Ages and countdowns move with the clock.
    setInterval(() => { if (page.redraw) page.redraw(); }, 30000);
    route();
  });
})();
