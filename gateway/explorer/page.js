// The browser side of the gateway's landing page: read as text by landing-page.ts and inlined into the page,
// never imported by Node. It tries Apollo Sandbox from Apollo's CDN first; when that script cannot be loaded
// (a load error, or no answer within the timeout), or the address asks for it (`?explorer=local`), it starts
// GraphiQL, whose code it then fetches from the gateway (config.assetsUrl): it needs nothing but the gateway.
//
// The page's state is on <html data-explorer="loading|sandbox|local" data-explorer-reason="…">.
(() => {
  'use strict';

  const nonce = document.currentScript.nonce;
  const readJson = (id) => JSON.parse(document.getElementById(id).textContent);
  const config = readJson('explorer-config');
  const endpoint = location.origin + location.pathname;
  const webSocketEndpoint = endpoint.replace(/^http/, 'ws');
  let state = 'loading';

  const REASONS = {
    unreachable: "Apollo Sandbox could not be loaded from Apollo's CDN",
    timeout: `Apollo's CDN did not answer within ${Math.round(config.sandboxTimeoutMs / 1000)} s`,
    unusable: "Apollo Sandbox's script did not start",
    chosen: 'You asked for the local explorer',
  };

  function setState(next, reason) {
    state = next;
    document.documentElement.dataset.explorer = next;
    if (reason) document.documentElement.dataset.explorerReason = reason;
  }

  // ---- Apollo Sandbox, as Apollo Server's own landing page embeds it ----

  function trySandbox() {
    setState('loading');
    const script = document.createElement('script');
    script.nonce = nonce;
    script.src = config.sandboxScriptUrl;
    const timer = setTimeout(() => startLocal('timeout'), config.sandboxTimeoutMs);
    script.onerror = () => {
      clearTimeout(timer);
      startLocal('unreachable');
    };
    script.onload = () => {
      clearTimeout(timer);
      // Too late: the local explorer is already up, and stays.
      if (state !== 'loading') return;
      if (typeof window.EmbeddedSandbox !== 'function') return startLocal('unusable');
      try {
        new window.EmbeddedSandbox({ ...config.sandboxConfig, initialEndpoint: endpoint });
      } catch (error) {
        console.error(error);
        return startLocal('unusable');
      }
      document.getElementById('sandbox-notice').hidden = true;
      setState('sandbox');
    };
    document.head.appendChild(script);
  }

  // ---- The local explorer: GraphiQL from @graphql-yoga/render-graphiql, fetched from the gateway ----

  function startLocal(reason) {
    if (state !== 'loading') return;
    setState('local', reason);
    document.getElementById('sandbox-notice').remove();
    document.getElementById('embeddableSandbox').remove();
    document.getElementById('local-explorer-reason').textContent = REASONS[reason] ?? reason;
    document.getElementById('try-sandbox').href = endpoint;
    document.getElementById('local-explorer').hidden = false;
    fetch(config.assetsUrl)
      .then((response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.json();
      })
      .then(renderLocal, (error) => {
        document.getElementById('local-explorer-reason').textContent = `The local explorer's code could not be loaded from the gateway (${error.message}); reload to try again`;
        document.documentElement.dataset.explorerError = String(error.message);
      });
  }

  function renderLocal(assets) {
    const style = document.createElement('style');
    style.textContent = assets.css;
    document.head.appendChild(style);

    // Monaco's workers, from the page itself (as render-graphiql does).
    const blobUrl = (source) => URL.createObjectURL(new Blob([source], { type: 'application/javascript' }));
    const workers = { editorWorkerService: blobUrl(assets.editorWorkerService), json: blobUrl(assets.jsonWorker), graphql: blobUrl(assets.graphqlWorker) };
    self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_moduleId, label) => workers[label] };

    // An inline script added with the page's nonce runs at once, and defines window.YogaGraphiQL.
    const bundle = document.createElement('script');
    bundle.nonce = nonce;
    bundle.textContent = assets.js;
    document.head.appendChild(bundle);

    window.YogaGraphiQL.renderYogaGraphiQL(document.getElementById('graphiql'), {
      ...config.graphiql,
      fetcher,
    });
  }

  // Queries and mutations: JSON POST to this endpoint (Apollo Server's CSRF prevention lets it through).
  // Subscriptions: graphql-ws on the same URL, the Authorization header sent as connection parameter.
  function fetcher(params, options) {
    const headers = requestHeaders(options?.headers);
    if (operationType(params, options?.documentAST) === 'subscription') return subscribe(params, headers);
    return post(params, headers);
  }

  // The headers editor starts with a placeholder token; until it is replaced, requests go out anonymous
  // (sending it would be refused as a malformed token, introspection included).
  function requestHeaders(editorHeaders) {
    const headers = {};
    for (const [name, value] of Object.entries(editorHeaders ?? {})) {
      if (name.toLowerCase() === 'authorization' && String(value).includes(config.tokenPlaceholder)) continue;
      headers[name] = String(value);
    }
    return headers;
  }

  function operationType(params, documentAST) {
    const operations = (documentAST?.definitions ?? []).filter((definition) => definition.kind === 'OperationDefinition');
    const operation = params.operationName ? operations.find((candidate) => candidate.name?.value === params.operationName) : operations[0];
    return operation?.operation ?? 'query';
  }

  async function post(params, headers) {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { accept: 'application/graphql-response+json, application/json', ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      return { errors: [{ message: `HTTP ${response.status} ${response.statusText}: ${text.slice(0, 500)}` }] };
    }
  }

  // One graphql-ws (graphql-transport-ws) connection per subscription, authenticated with the header the
  // subscription was started with: the gateway reads `authorization` from the connection parameters.
  function subscribe(params, headers) {
    const authorizationName = Object.keys(headers).find((name) => name.toLowerCase() === 'authorization');
    const connectionParams = authorizationName ? { authorization: headers[authorizationName] } : {};
    return {
      subscribe(observer) {
        const socket = new WebSocket(webSocketEndpoint, 'graphql-transport-ws');
        let finished = false;
        const finish = (andThen) => {
          if (finished) return;
          finished = true;
          andThen();
          if (socket.readyState <= WebSocket.OPEN) socket.close(1000);
        };
        const send = (message) => socket.send(JSON.stringify(message));
        socket.onopen = () => send({ type: 'connection_init', payload: connectionParams });
        socket.onmessage = (event) => {
          const message = JSON.parse(event.data);
          switch (message.type) {
            case 'connection_ack':
              send({ id: '1', type: 'subscribe', payload: params });
              break;
            case 'ping':
              send({ type: 'pong' });
              break;
            case 'next':
              observer.next(message.payload);
              break;
            case 'error':
              finish(() => {
                observer.next({ errors: message.payload });
                observer.complete();
              });
              break;
            case 'complete':
              finish(() => observer.complete());
              break;
          }
        };
        socket.onclose = (event) => {
          finish(() => (event.code === 1000 ? observer.complete() : observer.error(new Error(`The WebSocket closed: ${event.code} ${event.reason || ''}`.trim()))));
        };
        return {
          unsubscribe() {
            if (finished) return;
            finished = true;
            if (socket.readyState === WebSocket.OPEN) send({ id: '1', type: 'complete' });
            socket.close(1000);
          },
        };
      },
    };
  }

  // ---- Start ----

  document.getElementById('use-local-explorer').addEventListener('click', () => startLocal('chosen'));
  if (new URLSearchParams(location.search).get('explorer') === 'local') startLocal('chosen');
  else trySandbox();
})();
