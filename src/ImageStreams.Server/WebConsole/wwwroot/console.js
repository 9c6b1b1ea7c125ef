'use strict';

// The ImageStreams console: pages over the server's own API, kept live by its watch streams.
(() => {
  const TOKEN_KEY = 'imagestreams.token';
  const IMAGE_API = '/apis/image.openshift.io/v1';
  const BUILD_API = '/apis/build.openshift.io/v1';
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
  function live(path, render, order, onError) {
    const signal = page.signal;
    const items = new Map();
    const key = (o) => `${o.metadata.namespace || ''}/${o.metadata.name}`;
    const compare = order || ((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const draw = () => render([...items.values()].sort(compare));
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
    })().catch((error) => { if (!(onError && onError(error))) failed(error); });
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

  const enc = encodeURIComponent;

  // The sections of one project.
  function tabs(ns, current) {
    const items = [['Image streams', `#/ns/${enc(ns)}`], ['Builds', `#/ns/${enc(ns)}/builds`], ['Graph', `#/ns/${enc(ns)}/graph`]];
    return h('nav', { class: 'tabs', 'aria-label': 'Sections' },
      items.map(([label, href]) => h('a', { href, 'aria-current': label === current ? 'page' : null }, label)));
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
    const open = h('form', { class: 'inline', 'aria-label': 'Open a project' },
      field('Project', 'project', { required: true, placeholder: 'team-a' }),
      h('button', { type: 'submit', class: 'secondary' }, 'Open'));
    open.addEventListener('submit', (event) => {
      event.preventDefault();
      location.hash = `#/ns/${encodeURIComponent(open.elements.project.value.trim())}`;
    });
    show(h('h1', null, 'Projects'), list, h('h2', null, 'New project'), h('div', { class: 'panel' }, form));
    // Listing every project needs cluster-wide rights; others open the projects they were given by name.
    const forbidden = (error) => {
      if (!(error instanceof ApiError) || error.status !== 403) return false;
      list.replaceChildren(h('div', { class: 'panel' }, h('p', null, 'Your user may not list every project. Open one you were given:'), open));
      return true;
    };
    live(`${CORE_API}/namespaces`, (namespaces) => {
      list.replaceChildren(table('Projects', ['Name', 'Status', 'Created'],
        namespaces.map((ns) => [
          h('a', { href: `#/ns/${encodeURIComponent(ns.metadata.name)}` }, ns.metadata.name),
          (ns.status && ns.status.phase) || 'Active',
          when(ns.metadata.creationTimestamp),
        ]),
        'No projects yet. Create one below, or with: isctl new-project NAME'));
    }, undefined, forbidden);
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
    show(h('h1', null, `Image streams in ${ns}`), tabs(ns, 'Image streams'), list, h('h2', null, 'Import an image'), h('div', { class: 'panel' }, form));
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

  function importNowForm(ns, stream, name, specTag) {
    const form = h('form', { class: 'inline' });
    if (specTag && specTag.from && specTag.from.kind === 'DockerImage') {
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
    return form;
  }

  function tagPanel(ns, stream, name, specTag, statusTag, schedule, form) {
    const items = (statusTag && statusTag.items) || [];
    const failure = failingCondition(statusTag);
    const entry = schedule && (schedule.tags || []).find((t) => t.tag === name);
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
    const importForms = new Map();

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
        : names.map((tag) => {
          const specTag = specTags.find((t) => t.name === tag);
          // The tag's Import now form outlives redraws (its result stays shown); a new source gets a new form.
          const source = specTag && specTag.from ? `${specTag.from.kind}/${specTag.from.name}` : '';
          let form = importForms.get(tag);
          if (!form || form.dataset.source !== source) {
            form = importNowForm(ns, name, tag, specTag);
            form.dataset.source = source;
            importForms.set(tag, form);
          }
          return tagPanel(ns, name, tag, specTag, statusTags.find((t) => t.tag === tag), schedule, form);
        })));
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

  // ---- Builds ------------------------------------------------------------------------------------------------

  const TERMINAL_PHASES = ['Complete', 'Failed', 'Error', 'Cancelled'];

  const newestFirst = (a, b) =>
    (b.metadata.creationTimestamp || '').localeCompare(a.metadata.creationTimestamp || '') || b.metadata.name.localeCompare(a.metadata.name, undefined, { numeric: true });

  function phaseBadge(phase) {
    const tone = phase === 'Complete' ? ' ok' : ['Failed', 'Error'].includes(phase) ? ' error' : phase === 'Running' ? ' sched' : '';
    return h('span', { class: `badge${tone}`, 'data-phase': phase }, phase || 'New');
  }

  function buildCause(build) {
    const cause = ((build.spec && build.spec.triggeredBy) || [])[0];
    if (!cause) return '';
    const from = cause.imageChangeBuild && cause.imageChangeBuild.fromRef;
    return from ? `${cause.message || 'Image change'} from ${from.name}` : (cause.message || '');
  }

  function buildDuration(build) {
    const status = build.status || {};
    if (!status.startTimestamp) return '';
    const end = status.completionTimestamp ? Date.parse(status.completionTimestamp) : Date.now();
    return duration(Math.max(0, Math.round((end - Date.parse(status.startTimestamp)) / 1000)));
  }

  function buildFrom(config) {
    const source = (config.spec && config.spec.source) || {};
    if (source.git) return `${source.git.uri}${source.git.ref ? `#${source.git.ref}` : ''}`;
    if (source.binary || source.type === 'Binary') return 'Binary';
    if (source.dockerfile) return 'Dockerfile';
    return '';
  }

  const strategyOf = (spec) => (spec && spec.strategy) || {};
  const strategyFrom = (spec) => {
    const strategy = strategyOf(spec);
    return (strategy.dockerStrategy && strategy.dockerStrategy.from) || (strategy.sourceStrategy && strategy.sourceStrategy.from) || null;
  };

  function startBuildForm(ns, config) {
    const name = config.metadata.name;
    const form = h('form', { class: 'inline' });
    const binary = buildFrom(config) === 'Binary';
    form.append(h('button', {
      type: 'submit',
      class: 'secondary',
      'aria-label': `Start build ${name}`,
      disabled: binary,
      title: binary ? `A binary build takes its input from the CLI: isctl start-build ${name} --from-dir=DIR` : null,
    }, 'Start build'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      act(form, `Starting ${name}…`, async () => {
        const build = await request('POST', `${BUILD_API}/namespaces/${enc(ns)}/buildconfigs/${enc(name)}/instantiate`,
          { kind: 'BuildRequest', apiVersion: 'build.openshift.io/v1', metadata: { name } });
        return `Build ${build.metadata.name} started.`;
      });
    });
    return form;
  }

  function buildsPage(ns) {
    crumbs(['Projects', '#/'], [ns, `#/ns/${enc(ns)}`], ['Builds']);
    // A row is drawn again on every change; its form stays, with what it last reported.
    const forms = new Map();
    const formFor = (config) => {
      if (!forms.has(config.metadata.name)) forms.set(config.metadata.name, startBuildForm(ns, config));
      return forms.get(config.metadata.name);
    };
    const configs = h('div', null, h('p', { class: 'muted' }, 'Loading build configs…'));
    const runs = h('div', null, h('p', { class: 'muted' }, 'Loading builds…'));
    show(h('h1', null, `Builds in ${ns}`), tabs(ns, 'Builds'), h('h2', null, 'Build configs'), configs, h('h2', null, 'Builds'), runs);
    live(`${BUILD_API}/namespaces/${enc(ns)}/buildconfigs`, (items) => {
      configs.replaceChildren(table('Build configs', ['Name', 'Type', 'From', 'Latest', 'Actions'],
        items.map((config) => {
          const latest = (config.status && config.status.lastVersion) || 0;
          return [
            h('span', { 'data-buildconfig': config.metadata.name }, config.metadata.name),
            strategyOf(config.spec).type || '',
            h('code', null, buildFrom(config)),
            latest ? h('a', { href: `#/ns/${enc(ns)}/builds/${enc(`${config.metadata.name}-${latest}`)}` }, `#${latest}`) : h('span', { class: 'muted' }, 'none'),
            formFor(config),
          ];
        }),
        'No build configs yet. Create one with: isctl new-build DIR --name NAME'));
    });
    live(`${BUILD_API}/namespaces/${enc(ns)}/builds`, (items) => {
      runs.replaceChildren(table('Builds', ['Name', 'Status', 'Cause', 'Started', 'Duration', 'Image'],
        items.map((build) => {
          const status = build.status || {};
          const digest = status.output && status.output.to && status.output.to.imageDigest;
          return [
            h('a', { href: `#/ns/${enc(ns)}/builds/${enc(build.metadata.name)}` }, build.metadata.name),
            phaseBadge(status.phase),
            buildCause(build),
            status.startTimestamp ? when(status.startTimestamp) : h('span', { class: 'muted' }, 'waiting'),
            buildDuration(build),
            digest ? h('code', null, shortDigest(digest)) : '',
          ];
        }),
        'No builds yet. Start one from a build config above.'));
    }, newestFirst);
  }

  // Streams a build's log into the element until the build has ended.
  async function followLog(ns, name, output, ended, signal) {
    while (!signal.aborted) {
      try {
        const response = await fetch(`${BUILD_API}/namespaces/${enc(ns)}/builds/${enc(name)}/log?follow=true`, { headers: headers({ Accept: 'text/plain' }), signal });
        if (response.status === 401) { signIn(); return; }
        if (response.ok) {
          output.textContent = '';
          const reader = response.body.getReader();
          const decoder = new TextDecoder();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            output.textContent += decoder.decode(value, { stream: true });
            output.scrollTop = output.scrollHeight;
          }
          if (ended()) return;
        }
      } catch (error) {
        if (signal.aborted) return;
      }
      if (ended()) return;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  function buildPage(ns, name) {
    crumbs(['Projects', '#/'], [ns, `#/ns/${enc(ns)}`], ['Builds', `#/ns/${enc(ns)}/builds`], [name]);
    const facts = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
    const output = h('pre', { class: 'log', tabindex: '0', 'aria-label': `Log of ${name}` });
    const actions = h('form', { class: 'inline' },
      h('button', { type: 'submit', class: 'secondary', 'aria-label': `Cancel build ${name}` }, 'Cancel build'));
    actions.addEventListener('submit', (event) => {
      event.preventDefault();
      act(actions, `Cancelling ${name}…`, async () => {
        await request('PATCH', `${BUILD_API}/namespaces/${enc(ns)}/builds/${enc(name)}`, { status: { cancelled: true } }, 'application/merge-patch+json');
        return `Asked ${name} to stop.`;
      });
    });
    let current = null;
    let following = false;
    show(h('h1', null, `Build ${name}`), facts, actions, h('h2', null, 'Log'), output);
    live(`${BUILD_API}/namespaces/${enc(ns)}/builds?fieldSelector=${enc(`metadata.name=${name}`)}`, (items) => {
      current = items[0] || null;
      if (!current) {
        facts.replaceChildren(h('div', { class: 'empty' }, `There is no build ${name} in ${ns}.`));
        actions.hidden = true;
        return;
      }
      const status = current.status || {};
      const from = strategyFrom(current.spec);
      const digest = status.output && status.output.to && status.output.to.imageDigest;
      const to = current.spec && current.spec.output && current.spec.output.to;
      const stream = to && to.kind === 'ImageStreamTag' ? to.name.split(':')[0] : null;
      actions.hidden = TERMINAL_PHASES.includes(status.phase);
      facts.replaceChildren(h('dl', { class: 'facts panel' },
        h('dt', null, 'Status'), h('dd', null, phaseBadge(status.phase), status.reason ? ` ${status.reason}` : ''),
        status.message ? [h('dt', null, 'Message'), h('dd', null, status.message)] : null,
        h('dt', null, 'Cause'), h('dd', null, buildCause(current) || h('span', { class: 'muted' }, 'unknown')),
        h('dt', null, 'Started'), h('dd', null, status.startTimestamp ? when(status.startTimestamp) : h('span', { class: 'muted' }, 'waiting')),
        h('dt', null, 'Duration'), h('dd', null, buildDuration(current) || h('span', { class: 'muted' }, 'not started')),
        h('dt', null, 'Base image'), h('dd', null, from ? h('code', null, from.name) : h('span', { class: 'muted' }, 'from the Dockerfile')),
        h('dt', null, 'Output'), h('dd', null, to ? h('code', null, to.name) : h('span', { class: 'muted' }, 'none')),
        h('dt', null, 'Image'), h('dd', null, digest
          ? (stream ? h('a', { href: `#/ns/${enc(to.namespace || ns)}/is/${enc(stream)}/image/${enc(digest)}` }, h('code', null, shortDigest(digest))) : h('code', null, digest))
          : h('span', { class: 'muted' }, 'not yet'))));
      if (!following) {
        following = true;
        followLog(ns, name, output, () => current && TERMINAL_PHASES.includes((current.status || {}).phase), page.signal);
      }
    });
  }

  // ---- What triggers what ------------------------------------------------------------------------------------

  // Nodes are stream tags and build configs; an edge runs from a tag to the build config it feeds (solid when an
  // image change trigger watches it) and from a build config to the tag it writes.
  function dependencyGraph(ns, streams, configs) {
    const nodes = new Map();
    const edges = [];
    const tagNode = (namespace, name) => {
      const id = `tag:${namespace}/${name}`;
      if (!nodes.has(id)) nodes.set(id, { id, kind: 'tag', namespace, name });
      return id;
    };
    for (const config of configs) {
      const id = `bc:${config.metadata.name}`;
      nodes.set(id, { id, kind: 'bc', name: config.metadata.name, config });
      const from = strategyFrom(config.spec);
      const triggers = ((config.spec && config.spec.triggers) || []).filter((t) => t.type === 'ImageChange');
      const watched = triggers.map((t) => (t.imageChange && t.imageChange.from) || from).filter((f) => f && f.kind === 'ImageStreamTag');
      for (const source of watched) edges.push({ from: tagNode(source.namespace || ns, source.name), to: id, kind: 'triggers' });
      if (from && from.kind === 'ImageStreamTag' && !watched.some((w) => w.name === from.name && (w.namespace || ns) === (from.namespace || ns))) {
        edges.push({ from: tagNode(from.namespace || ns, from.name), to: id, kind: 'uses' });
      }
      const to = config.spec && config.spec.output && config.spec.output.to;
      if (to && to.kind === 'ImageStreamTag') edges.push({ from: id, to: tagNode(to.namespace || ns, to.name), kind: 'outputs' });
    }
    for (const stream of streams) {
      for (const tag of (stream.spec && stream.spec.tags) || []) {
        if (tag.from && tag.from.kind === 'ImageStreamTag') {
          const source = tag.from.name.includes(':') ? tag.from.name : `${stream.metadata.name}:${tag.from.name}`;
          edges.push({ from: tagNode(tag.from.namespace || ns, source), to: tagNode(ns, `${stream.metadata.name}:${tag.name}`), kind: 'tracks' });
        }
      }
    }
    // Levels: the longest path from a node with nothing upstream; a cycle (refused by the server) stops at the node count.
    const level = new Map([...nodes.keys()].map((id) => [id, 0]));
    for (let round = 0; round < nodes.size; round++) {
      let moved = false;
      for (const edge of edges) {
        if (level.get(edge.to) < level.get(edge.from) + 1) { level.set(edge.to, level.get(edge.from) + 1); moved = true; }
      }
      if (!moved) break;
    }
    return { nodes: [...nodes.values()], edges, level };
  }

  function tagImage(streams, node) {
    const [streamName, tag] = node.name.split(':');
    const stream = streams.find((s) => s.metadata.name === streamName && (s.metadata.namespace || '') === node.namespace);
    const status = stream && ((stream.status && stream.status.tags) || []).find((t) => t.tag === tag);
    const item = status && (status.items || [])[0];
    return item ? item.image : null;
  }

  function graphPage(ns) {
    crumbs(['Projects', '#/'], [ns, `#/ns/${enc(ns)}`], ['Graph']);
    const canvas = h('div', { class: 'graph' });
    const list = h('div');
    show(h('h1', null, `What triggers what in ${ns}`), tabs(ns, 'Graph'), canvas, h('h2', null, 'Dependencies'), list);
    let streams = [];
    let configs = [];
    const draw = () => {
      const graph = dependencyGraph(ns, streams, configs);
      if (graph.nodes.length === 0) {
        canvas.replaceChildren(h('div', { class: 'empty' }, 'Nothing is built from an image stream here yet.'));
        list.replaceChildren();
        return;
      }
      const depth = Math.max(...graph.level.values());
      const columns = Array.from({ length: depth + 1 }, (_, i) => graph.nodes.filter((n) => graph.level.get(n.id) === i)
        .sort((a, b) => a.name.localeCompare(b.name)));
      const box = (node) => {
        if (node.kind === 'bc') {
          const latest = (node.config.status && node.config.status.lastVersion) || 0;
          return h('a', { class: 'node bc', id: node.id, href: `#/ns/${enc(ns)}/builds${latest ? `/${enc(`${node.name}-${latest}`)}` : ''}` },
            h('span', { class: 'node-kind' }, 'build config'), h('strong', null, node.name), latest ? h('span', { class: 'muted' }, `#${latest}`) : null);
        }
        const image = tagImage(streams, node);
        return h('a', { class: 'node tag', id: node.id, href: `#/ns/${enc(node.namespace)}/is/${enc(node.name.split(':')[0])}` },
          h('span', { class: 'node-kind' }, node.namespace === ns ? 'tag' : `tag in ${node.namespace}`), h('strong', null, node.name),
          h('code', { class: 'muted' }, image ? shortDigest(image) : 'no image yet'));
      };
      const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
      svg.setAttribute('class', 'edges');
      svg.setAttribute('aria-hidden', 'true');
      canvas.replaceChildren(svg, ...columns.map((column) => h('div', { class: 'level' }, column.map(box))));
      requestAnimationFrame(() => {
        const origin = canvas.getBoundingClientRect();
        svg.setAttribute('width', String(canvas.scrollWidth));
        svg.setAttribute('height', String(canvas.scrollHeight));
        svg.replaceChildren();
        for (const edge of graph.edges) {
          const a = document.getElementById(edge.from);
          const b = document.getElementById(edge.to);
          if (!a || !b) continue;
          const ra = a.getBoundingClientRect();
          const rb = b.getBoundingClientRect();
          const horizontal = rb.left >= ra.right;
          const [x1, y1] = horizontal ? [ra.right - origin.left, ra.top + ra.height / 2 - origin.top] : [ra.left + ra.width / 2 - origin.left, ra.bottom - origin.top];
          const [x2, y2] = horizontal ? [rb.left - origin.left, rb.top + rb.height / 2 - origin.top] : [rb.left + rb.width / 2 - origin.left, rb.top - origin.top];
          const line = document.createElementNS('http://www.w3.org/2000/svg', 'line');
          for (const [k, v] of Object.entries({ x1, y1, x2, y2 })) line.setAttribute(k, String(v));
          line.setAttribute('class', `edge ${edge.kind}`);
          svg.append(line);
        }
      });
      const label = (id) => { const node = graph.nodes.find((n) => n.id === id); return node.kind === 'bc' ? `build config ${node.name}` : node.name; };
      const verbs = { triggers: 'triggers', uses: 'is the base of (no trigger)', outputs: 'writes', tracks: 'is tracked by' };
      list.replaceChildren(h('ul', { class: 'dependencies' }, graph.edges.map((edge) =>
        h('li', null, `${label(edge.from)} ${verbs[edge.kind]} ${label(edge.to)}`))));
    };
    live(`${IMAGE_API}/namespaces/${enc(ns)}/imagestreams`, (items) => { streams = items; draw(); });
    live(`${BUILD_API}/namespaces/${enc(ns)}/buildconfigs`, (items) => { configs = items; draw(); });
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
    [/^#\/ns\/([^/]+)\/builds$/, buildsPage],
    [/^#\/ns\/([^/]+)\/builds\/([^/]+)$/, buildPage],
    [/^#\/ns\/([^/]+)\/graph$/, graphPage],
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
