import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { cleanOutput, planDiffs, requiredSecrets, secretPrefix, secretsOf } from '../scripts/pr-diff';
import { environments } from '../stacks/environments';

describe('pull-request diff planning', () => {
  const complete = { STAGING_KUBECONFIG: 'kc', STAGING_CLOUDFLARE_API_TOKEN: 'cf', STAGING_RABBITMQ_USERNAME: 'u', STAGING_RABBITMQ_PASSWORD: 'p' };

  test('an environment without credentials is skipped, naming the missing secrets', () => {
    expect(planDiffs(['red-env'], {})).toEqual([
      {
        environment: 'red-env',
        skip: 'secrets not configured: RED_ENV_KUBECONFIG, RED_ENV_CLOUDFLARE_API_TOKEN, RED_ENV_RABBITMQ_USERNAME, RED_ENV_RABBITMQ_PASSWORD',
      },
    ]);
  });

  test('credentials become provider and TF_VAR variables, all masked', () => {
    const [plan] = planDiffs(['staging'], {
      ...complete,
      STAGING_FEDERATOR_PRIVATE_KEY: 'k',
      STAGING_STATE_ENV: 'AWS_ACCESS_KEY_ID=a\nAWS_SECRET_ACCESS_KEY=b=c',
    });
    expect(plan).toEqual({
      environment: 'staging',
      kubeconfig: 'kc',
      env: {
        CLOUDFLARE_API_TOKEN: 'cf',
        TF_VAR_rabbitmq_username: 'u',
        TF_VAR_rabbitmq_password: 'p',
        TF_VAR_federator_private_key: 'k',
        AWS_ACCESS_KEY_ID: 'a',
        AWS_SECRET_ACCESS_KEY: 'b=c',
      },
      masks: ['cf', 'u', 'p', 'k', 'a', 'b=c'],
    });
  });

  test('each DNS provider needs its own credentials, handed over as the variables its provider reads', () => {
    const base = { RED_KUBECONFIG: 'kc', RED_RABBITMQ_USERNAME: 'u', RED_RABBITMQ_PASSWORD: 'p' };
    const route53 = () => ({ provider: 'route53' as const });
    expect(planDiffs(['red'], base, route53)).toEqual([
      { environment: 'red', skip: 'secrets not configured: RED_AWS_ACCESS_KEY_ID, RED_AWS_SECRET_ACCESS_KEY' },
    ]);
    const [plan] = planDiffs(['red'], { ...base, RED_AWS_ACCESS_KEY_ID: 'a', RED_AWS_SECRET_ACCESS_KEY: 's', RED_CLOUDFLARE_API_TOKEN: 'unused' }, route53);
    expect(plan).toMatchObject({ env: { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 's', TF_VAR_rabbitmq_username: 'u', TF_VAR_rabbitmq_password: 'p' } });
    expect((plan as { env: object }).env).not.toHaveProperty('CLOUDFLARE_API_TOKEN');
    expect(requiredSecrets({ provider: 'google' })).toEqual(['KUBECONFIG', 'GOOGLE_CREDENTIALS', 'RABBITMQ_USERNAME', 'RABBITMQ_PASSWORD']);
    expect(requiredSecrets({ provider: 'azure' })).toEqual([
      'KUBECONFIG',
      'ARM_CLIENT_ID',
      'ARM_CLIENT_SECRET',
      'ARM_TENANT_ID',
      'RABBITMQ_USERNAME',
      'RABBITMQ_PASSWORD',
    ]);
    expect(requiredSecrets({ provider: 'rfc2136', keyName: 'k' })).toEqual(['KUBECONFIG', 'DNS_UPDATE_KEYSECRET', 'RABBITMQ_USERNAME', 'RABBITMQ_PASSWORD']);
    expect(requiredSecrets({ provider: 'rfc2136' })).toEqual(['KUBECONFIG', 'RABBITMQ_USERNAME', 'RABBITMQ_PASSWORD']);
    const [blue] = planDiffs(
      ['blue'],
      { BLUE_KUBECONFIG: 'kc', BLUE_RABBITMQ_USERNAME: 'u', BLUE_RABBITMQ_PASSWORD: 'p', BLUE_DNS_UPDATE_KEYSECRET: 'c2VjcmV0' },
      () => ({ provider: 'rfc2136', keyName: 'k' }),
    );
    expect(blue).toMatchObject({ env: { DNS_UPDATE_KEYSECRET: 'c2VjcmV0' }, masks: expect.arrayContaining(['c2VjcmV0']) });
  });

  test('cleanOutput strips ANSI colours and spinner lines', () => {
    expect(cleanOutput('\x1b[32m+ create\x1b[0m\n⠋  Synthesizing\nPlan: 1 to add')).toBe('+ create\nPlan: 1 to add');
  });

  test('secretsOf keeps only the variables of one environment', () => {
    expect(secretsOf('red', { RED_KUBECONFIG: 'a', REDUX_X: 'b', BLUE_KUBECONFIG: 'c', RED_STATE_ENV: '', PATH: '/bin' })).toEqual({ RED_KUBECONFIG: 'a' });
  });
});

describe('the pull-request workflow', () => {
  const workflow = readFileSync(join(__dirname, '..', '.github', 'workflows', 'pull-request.yml'), 'utf8');
  const steps = (parse(workflow).jobs['test-and-diff'].steps as Array<{ name?: string; env?: Record<string, string>; run?: string }>).filter((s) =>
    s.run?.includes('scripts/pr-diff.ts'),
  );

  test('never hands all secrets to a step', () => {
    expect(workflow).not.toMatch(/toJSON\(\s*secrets\s*\)/);
    expect(workflow).not.toMatch(/secrets\[/);
  });

  test('runs one diff step per environment, each mapping only its own secrets', () => {
    expect(steps.map((s) => s.run!.split(' ').pop())).toEqual(environments.map((e) => e.environment));
    for (const step of steps) {
      const environment = step.run!.split(' ').pop()!;
      const prefix = `${secretPrefix(environment)}_`;
      const used = [...JSON.stringify(step).matchAll(/secrets\.([A-Z0-9_]+)/g)].map((m) => m[1]);
      const REQUIRED = requiredSecrets(environments.find((e) => e.environment === environment)!.dns);
      expect(used.length).toBeGreaterThanOrEqual(REQUIRED.length);
      for (const name of used) expect(name.startsWith(prefix)).toBe(true);
      for (const [variable, value] of Object.entries(step.env ?? {})) expect(value).toBe(`\${{ secrets.${variable} }}`);
      for (const required of REQUIRED) expect(step.env).toHaveProperty(`${prefix}${required}`);
    }
  });
});
