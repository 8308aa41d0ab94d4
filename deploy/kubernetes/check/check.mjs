// Offline check of the Kubernetes manifests beside this folder (no cluster needed):
//  1. every document validates against the Kubernetes API's OpenAPI schema for its kind (kubernetes-models);
//  2. the project's rules: one WAL claim per replica mounted at the image's WAL_DIR, probes on the right
//     paths and port, a grace period above drain-delay + drain-timeout, a PodDisruptionBudget, Redis from a
//     Secret, and no Ingress or Service that exposes the admin or management port to clients.
// Usage: cd deploy/kubernetes/check && npm ci && node check.mjs   (prints PASS/FAIL lines; exit 1 on a FAIL)
import { readFileSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments, parse } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const manifests = join(here, "..");
const repo = join(manifests, "..", "..");
let failed = 0;
const check = (ok, what) => {
  console.log(`${ok ? "PASS" : "FAIL"} ${what}`);
  if (!ok) failed++;
};

// ---- 1. schemas ----
const kustomization = parse(readFileSync(join(manifests, "kustomization.yaml"), "utf8"));
const listed = new Set(kustomization.resources);
const files = readdirSync(manifests).filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml");
check(files.every((f) => listed.has(f)) && [...listed].every((f) => files.includes(f)),
  `kustomization.yaml lists exactly the manifests (${files.join(", ")})`);
const objects = [];
for (const file of files) {
  for (const doc of parseAllDocuments(readFileSync(join(manifests, file), "utf8"))) {
    const object = doc.toJS();
    if (!object) continue;
    const Model = await model(object.apiVersion, object.kind);
    if (!Model) {
      check(false, `${file}: no schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    try {
      new Model(object).validate();
      check(true, `${file}: ${object.kind} ${object.metadata.name} matches the ${object.apiVersion} schema`);
    } catch (e) {
      check(false, `${file}: ${object.kind} ${object.metadata.name}: ${e.message}`);
    }
    objects.push(object);
  }
}

/** The kubernetes-models class of an apiVersion and kind (kubernetes-models/<group>/<version>/<Kind>), or null. */
async function model(apiVersion, kind) {
  try {
    return (await import(`kubernetes-models/${apiVersion}/${kind}`))[kind];
  } catch {
    return null;
  }
}

// ---- 2. the project's rules ----
const byKind = (kind) => objects.filter((o) => o.kind === kind);
const service = parse(readFileSync(join(repo, "runtime-service/src/main/resources/application.yml"), "utf8"));
const seconds = (text) => {
  const m = /^(\d+)(ms|s|m)$/.exec(String(text).trim());
  if (!m) throw new Error(`not a duration: ${text}`);
  return Number(m[1]) * { ms: 0.001, s: 1, m: 60 }[m[2]];
};
const apiPort = service.micronaut.server.port;
const managementPort = service.endpoints.all.port;
const adminPort = service.runtime.admin.port;
const walDir = /ENV WAL_DIR=(\S+)/.exec(readFileSync(join(repo, "Dockerfile"), "utf8"))[1];

const [statefulSet] = byKind("StatefulSet");
check(Boolean(statefulSet), "a StatefulSet");
const pod = statefulSet.spec.template.spec;
const container = pod.containers[0];
const env = Object.fromEntries(container.env.map((e) => [e.name, e]));
const portNumber = (name) => container.ports.find((p) => p.name === name || p.containerPort === name)?.containerPort;

const claims = statefulSet.spec.volumeClaimTemplates ?? [];
const walMount = container.volumeMounts.find((m) => m.mountPath === walDir);
check(Boolean(walMount) && claims.some((c) => c.metadata.name === walMount.name),
  `each replica mounts its own volumeClaimTemplate at WAL_DIR ${walDir}`);
check(statefulSet.spec.replicas >= 2, `at least two replicas (${statefulSet.spec.replicas})`);
check(portNumber("api") === apiPort && portNumber("management") === managementPort && portNumber("admin") === adminPort,
  `container ports match application.yml (api ${apiPort}, management ${managementPort}, admin ${adminPort})`);

const probe = (p, path) => p && p.httpGet?.path === path && portNumber(p.httpGet.port) === managementPort;
check(probe(container.readinessProbe, "/health/ready"), "readinessProbe: /health/ready on the management port");
check(probe(container.livenessProbe, "/health/live"), "livenessProbe: /health/live on the management port");
check(probe(container.startupProbe, "/health/live"), "startupProbe on /health/live");

const drainDelay = seconds(env.RUNTIME_SHUTDOWN_DRAIN_DELAY?.value ?? service.runtime.shutdown["drain-delay"]);
const drainTimeout = seconds(env.RUNTIME_SHUTDOWN_DRAIN_TIMEOUT?.value ?? service.runtime.shutdown["drain-timeout"]);
const grace = pod.terminationGracePeriodSeconds;
check(grace > drainDelay + drainTimeout + 5,
  `terminationGracePeriodSeconds ${grace} > drain-delay ${drainDelay} s + drain-timeout ${drainTimeout} s + 5 s margin`);
const readiness = container.readinessProbe;
check(readiness.periodSeconds + readiness.timeoutSeconds <= drainDelay,
  `readiness period + timeout (${readiness.periodSeconds + readiness.timeoutSeconds} s) fit in drain-delay ${drainDelay} s`);

const redisSecret = env.REDIS_URI?.valueFrom?.secretKeyRef;
check(Boolean(redisSecret) && byKind("Secret").some((s) => s.metadata.name === redisSecret.name),
  `REDIS_URI comes from the Secret ${redisSecret?.name}`);
check(pod.securityContext?.runAsNonRoot === true, "pods run as non-root");

const selects = (selector) => Object.entries(selector ?? {}).every(([k, v]) => statefulSet.spec.template.metadata.labels[k] === v);
const pdb = byKind("PodDisruptionBudget").find((p) => selects(p.spec.selector.matchLabels));
check(Boolean(pdb), "a PodDisruptionBudget selects the replicas");
check(byKind("Service").some((s) => s.metadata.name === statefulSet.spec.serviceName && s.spec.clusterIP === "None"),
  `the StatefulSet's serviceName ${statefulSet.spec.serviceName} is a headless Service`);

const targetPort = (port) => (typeof port.targetPort === "number" ? port.targetPort : portNumber(port.targetPort));
const servicesByName = Object.fromEntries(byKind("Service").map((s) => [s.metadata.name, s]));
const routed = byKind("Ingress").flatMap((i) => i.spec.rules.flatMap((r) => r.http.paths.map((p) => p.backend.service)));
const routedPorts = routed.map((b) => {
  const s = servicesByName[b.name];
  const port = s?.spec.ports.find((p) => p.name === b.port.name || p.port === b.port.number);
  return port ? targetPort(port) : undefined;
});
check(routed.length > 0 && routedPorts.every((p) => p === apiPort),
  `the Ingress routes only to the API port ${apiPort} (routes to: ${routedPorts.join(", ")})`);
check(byKind("Service").every((s) => !["LoadBalancer", "NodePort"].includes(s.spec.type)
    || s.spec.ports.every((p) => targetPort(p) === apiPort)),
  "no Service exposes the admin or management port outside the cluster");

console.log(failed ? `${failed} check(s) failed` : "all Kubernetes manifest checks passed");
process.exit(failed ? 1 : 0);
