// @kubernetes/client-node 1.x against the embedded API server.
// Usage: node client_check.mjs URL. Prints one line per check; ClientLibraryTests asserts them.
import * as k8s from '@kubernetes/client-node';

const url = process.argv[2];
const NS = 'js';
const kc = new k8s.KubeConfig();
kc.loadFromOptions({
  clusters: [{ name: 'raven', server: url, skipTLSVerify: true }],
  users: [{ name: 'raven' }],
  contexts: [{ name: 'raven', cluster: 'raven', user: 'raven' }],
  currentContext: 'raven',
});
const core = kc.makeApiClient(k8s.CoreV1Api);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const within = (ms, what, promise) =>
  Promise.race([promise, sleep(ms).then(() => { throw new Error(`timed out waiting for ${what}`); })]);

await core.createNamespace({ body: { metadata: { name: NS } } });

// CRUD
const created = await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'cm1' }, data: { k: 'v1' } } });
const read = await core.readNamespacedConfigMap({ name: 'cm1', namespace: NS });
read.data.k = 'v2';
const replaced = await core.replaceNamespacedConfigMap({ name: 'cm1', namespace: NS, body: read });
const listed = await core.listNamespacedConfigMap({ namespace: NS });
await core.deleteNamespacedConfigMap({ name: 'cm1', namespace: NS });
const after = await core.listNamespacedConfigMap({ namespace: NS });
console.log(`crud created=${created.metadata.name} replaced=${replaced.data.k} listed=${listed.items.length} after-delete=${after.items.length}`);

// Watch with bookmarks
const start = (await core.listNamespacedConfigMap({ namespace: NS })).metadata.resourceVersion;
const seen = new Set();
let request;
await within(20000, 'watch events', new Promise((resolve, reject) => {
  new k8s.Watch(kc).watch(`/api/v1/namespaces/${NS}/configmaps`, { resourceVersion: start, allowWatchBookmarks: true },
    (type, obj) => {
      if (type === 'ADDED') seen.add(`ADDED:${obj.metadata.name}`);
      if (type === 'BOOKMARK') seen.add('BOOKMARK');
      if (seen.has('ADDED:watched') && seen.has('BOOKMARK')) resolve();
    },
    (err) => { if (err) reject(err); }).then((r) => { request = r; });
  sleep(500).then(() => core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'watched' }, data: { a: '1' } } }));
}));
request?.abort();
console.log(`watch ${[...seen].sort().join(',')}`);

// Informer
const informer = k8s.makeInformer(kc, `/api/v1/namespaces/${NS}/configmaps`, () => core.listNamespacedConfigMap({ namespace: NS }));
const updated = new Promise((resolve) => informer.on('update', (obj) => { if (obj.data?.a === '2') resolve(obj); }));
await informer.start();
await core.patchNamespacedConfigMap({ name: 'watched', namespace: NS, body: { data: { a: '2' } } },
  k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
const fresh = await within(20000, 'the informer update', updated);
console.log(`informer watched.a=${fresh.data.a} cached=${informer.list(NS).length}`);
await informer.stop();

// Status patch
await core.createNode({ body: { metadata: { name: 'js-node' } } });
const patched = await core.patchNodeStatus({ name: 'js-node', body: { status: { conditions: [{ type: 'Ready', status: 'True' }] } } },
  k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
console.log(`status ready=${patched.status.conditions[0].status}`);

// 409 and 422
for (const [label, name] of [['conflict', 'watched'], ['invalid', 'Bad_Name']]) {
  try {
    await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name } } });
    console.log(`${label} none`);
  } catch (e) {
    const body = typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
    console.log(`${label} ${e.code} ${body.reason}`);
  }
}
console.log('done');
process.exit(0);
