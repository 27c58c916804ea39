/** `kubernetes`: where the Helm releases go. */
import { z } from 'zod';
import { K8S_NAME, nonEmpty } from './fields';

export const kubernetesSchema = z
  .strictObject({
    /** The kubeconfig the Helm and Kubernetes providers use. */
    kubeconfigPath: nonEmpty('path of the kubeconfig').default('~/.kube/config'),
    /** The kubeconfig context. @default - the kubeconfig's current context */
    context: nonEmpty('kubeconfig context').optional(),
    /** Namespace of the Wire releases. */
    namespace: z.string().regex(K8S_NAME, { error: 'must be a Kubernetes namespace name (lowercase letters, digits, "-")' }).default('wire'),
  })
  .default({ kubeconfigPath: '~/.kube/config', namespace: 'wire' });
