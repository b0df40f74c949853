"""python3-kubernetes (Debian's package) against the embedded API server.

Usage: /usr/bin/python3 client_check.py URL
Prints one line per check ("crud ...", "watch ...", ...); ClientLibraryTests asserts them. Exits non-zero on the first
unexpected answer, naming it.
"""
import json
import sys
import threading
import time

from kubernetes import client, watch
from kubernetes.client.rest import ApiException

NS = "py"


def main(url):
    config = client.Configuration(host=url)
    api = client.ApiClient(config)
    core = client.CoreV1Api(api)
    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=NS)))

    # CRUD
    created = core.create_namespaced_config_map(NS, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="cm1"), data={"k": "v1"}))
    read = core.read_namespaced_config_map("cm1", NS)
    read.data["k"] = "v2"
    replaced = core.replace_namespaced_config_map("cm1", NS, read)
    listed = core.list_namespaced_config_map(NS)
    core.delete_namespaced_config_map("cm1", NS)
    gone = [m.metadata.name for m in core.list_namespaced_config_map(NS).items]
    print(f"crud created={created.metadata.name} replaced={replaced.data['k']} listed={len(listed.items)} after-delete={len(gone)}")

    # Watch from a resourceVersion with bookmarks: watch=True and allowWatchBookmarks=True as python sends them.
    start = core.list_namespaced_config_map(NS).metadata.resource_version
    seen = []

    def later():
        time.sleep(0.5)
        core.create_namespaced_config_map(NS, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="watched"), data={"a": "1"}))

    threading.Thread(target=later, daemon=True).start()
    w = watch.Watch()
    for event in w.stream(core.list_namespaced_config_map, NS, resource_version=start, allow_watch_bookmarks=True, timeout_seconds=20):
        kind = event["type"]
        if kind == "ADDED":
            seen.append("ADDED:" + event["object"].metadata.name)
        elif kind == "BOOKMARK":
            seen.append("BOOKMARK")
        if "ADDED:watched" in seen and "BOOKMARK" in seen:
            w.stop()
    print("watch " + ",".join(sorted(set(seen))))

    # Informer-style: list, then watch from the list's resourceVersion; the cache follows a later change.
    cache = {m.metadata.name: m.data for m in core.list_namespaced_config_map(NS).items}
    rv = core.list_namespaced_config_map(NS).metadata.resource_version

    def change():
        time.sleep(0.5)
        core.patch_namespaced_config_map("watched", NS, {"data": {"a": "2"}})

    threading.Thread(target=change, daemon=True).start()
    w = watch.Watch()
    for event in w.stream(core.list_namespaced_config_map, NS, resource_version=rv, timeout_seconds=20):
        cache[event["object"].metadata.name] = event["object"].data
        if cache.get("watched", {}).get("a") == "2":
            w.stop()
    print(f"informer watched.a={cache['watched']['a']}")

    # Status patch of a node.
    core.create_node(client.V1Node(metadata=client.V1ObjectMeta(name="py-node")))
    patched = core.patch_node_status("py-node", {"status": {"conditions": [{"type": "Ready", "status": "True"}]}})
    print(f"status ready={patched.status.conditions[0].status}")

    # 409 and 422
    try:
        core.create_namespaced_config_map(NS, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="watched")))
        print("conflict none")
    except ApiException as e:
        print(f"conflict {e.status} {json.loads(e.body)['reason']}")
    try:
        core.create_namespaced_config_map(NS, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="Bad_Name")))
        print("invalid none")
    except ApiException as e:
        print(f"invalid {e.status} {json.loads(e.body)['reason']}")
    print("done")


if __name__ == "__main__":
    main(sys.argv[1])
