/** `backend`: where Terraform keeps the state of this environment. */
import { z } from 'zod';
import { nonEmpty } from './fields';

export const backendSchema = z
  .discriminatedUnion(
    'type',
    [
      z.strictObject({
        type: z.literal('local'),
        /** Path of the local state file. @default terraform.<environment>.tfstate */
        path: nonEmpty('state file path').optional(),
      }),
      z.strictObject({
        type: z.literal('s3'),
        /** S3 bucket of the state. */
        bucket: nonEmpty('S3 bucket'),
        /** Object key of the state file. */
        key: nonEmpty('S3 object key'),
        /** AWS region of the bucket. */
        region: nonEmpty('AWS region'),
        /** DynamoDB table for state locking. @default - no locking table */
        dynamodbTable: nonEmpty('DynamoDB lock table').optional(),
      }),
      z.strictObject({
        type: z.literal('gcs'),
        /** GCS bucket of the state. */
        bucket: nonEmpty('GCS bucket'),
        /** Prefix of the state objects. @default - none */
        prefix: nonEmpty('GCS prefix').optional(),
      }),
      z.strictObject({
        type: z.literal('cloud'),
        /** Terraform Cloud organization. */
        organization: nonEmpty('Terraform Cloud organization'),
        /** Terraform Cloud workspace. */
        workspace: nonEmpty('Terraform Cloud workspace'),
        /** Host of Terraform Enterprise. @default - app.terraform.io */
        hostname: nonEmpty('Terraform Cloud hostname').optional(),
      }),
    ],
    { error: 'type must be one of local, s3, gcs, cloud' },
  )
  .default({ type: 'local' });
