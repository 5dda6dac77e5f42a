// The Prometheus alert rules (deploy/prometheus/alerts.yml) are valid as Prometheus reads them,
// and every metric they use is one the processes serve.
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const RULES = fileURLToPath(new URL('prometheus/alerts.yml', import.meta.url));
const LOCAL_CONFIG = fileURLToPath(new URL('prometheus/local.yml', import.meta.url));
const DASHBOARD = fileURLToPath(new URL('grafana/airline-dashboard.json', import.meta.url));

describe('Prometheus alert rules (deploy/prometheus/alerts.yml)', () => {
  it('pass promtool check rules', () => {
    const result = spawnSync('promtool', ['check', 'rules', RULES], { encoding: 'utf8' });
    if (result.error)
      throw new Error(
        'promtool is not installed: install the Debian package "prometheus" (apt-get install -y prometheus)',
      );
    if (result.status !== 0)
      throw new Error(`promtool refuses ${RULES}:\n${result.stdout}${result.stderr}`);
  });

  it('load with the local scrape configuration (promtool check config)', () => {
    const result = spawnSync('promtool', ['check', 'config', LOCAL_CONFIG], { encoding: 'utf8' });
    if (result.error) throw new Error('promtool is not installed (apt-get install -y prometheus)');
    if (result.status !== 0)
      throw new Error(`promtool refuses ${LOCAL_CONFIG}:\n${result.stdout}${result.stderr}`);
  });

  it('alert on a stuck saga, a non-empty DLQ, an open breaker, outbox lag and the error-rate and latency SLOs', () => {
    const rules = readFileSync(RULES, 'utf8');
    for (const alert of [
      'BookingSagaStuck',
      'DeadLetterQueueNotEmpty',
      'PaymentProviderBreakerOpen',
      'OutboxLagging',
      'GraphQLErrorRateHigh',
      'GraphQLLatencyHigh',
    ])
      expect(rules).toContain(`alert: ${alert}`);
  });
});

describe('Grafana dashboard (deploy/grafana/airline-dashboard.json)', () => {
  it('is JSON whose panels all query metrics', () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    expect(dashboard.panels.length).toBeGreaterThan(5);
    for (const panel of dashboard.panels) expect(panel.targets[0]?.expr).toBeTruthy();
  });
});
