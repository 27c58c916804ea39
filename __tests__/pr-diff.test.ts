import { cleanOutput, planDiffs } from '../scripts/pr-diff';

describe('pull-request diff planning', () => {
  const complete = { STAGING_KUBECONFIG: 'kc', STAGING_CLOUDFLARE_API_TOKEN: 'cf', STAGING_RABBITMQ_USERNAME: 'u', STAGING_RABBITMQ_PASSWORD: 'p' };

  test('an environment without credentials is skipped, naming the missing secrets', () => {
    expect(planDiffs(['red-env'], {})).toEqual([
      { environment: 'red-env', skip: 'secrets not configured: RED_ENV_KUBECONFIG, RED_ENV_CLOUDFLARE_API_TOKEN, RED_ENV_RABBITMQ_USERNAME, RED_ENV_RABBITMQ_PASSWORD' },
    ]);
  });

  test('credentials become provider and TF_VAR variables, all masked', () => {
    const [plan] = planDiffs(['staging'], { ...complete, STAGING_FEDERATOR_PRIVATE_KEY: 'k', STAGING_STATE_ENV: 'AWS_ACCESS_KEY_ID=a\nAWS_SECRET_ACCESS_KEY=b=c' });
    expect(plan).toEqual({
      environment: 'staging',
      kubeconfig: 'kc',
      env: { CLOUDFLARE_API_TOKEN: 'cf', TF_VAR_rabbitmq_username: 'u', TF_VAR_rabbitmq_password: 'p', TF_VAR_federator_private_key: 'k', AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b=c' },
      masks: ['cf', 'u', 'p', 'k', 'a', 'b=c'],
    });
  });

  test('cleanOutput strips ANSI colours and spinner lines', () => {
    expect(cleanOutput('\x1b[32m+ create\x1b[0m\n⠋  Synthesizing\nPlan: 1 to add')).toBe('+ create\nPlan: 1 to add');
  });
});
