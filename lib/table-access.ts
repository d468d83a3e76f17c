import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { TableAccess, TableSpec } from '../wiring/index.ts';

// Only what the handlers do: single-item conditional writes, batches, queries (DESIGN: no transactions, no streams).
const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan'];
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/**
 * Grants a function the access the wiring names on one table. Unlike `table.grantReadData`, reads reach each
 * GSI by its name rather than `…/index/*`, so the policy has no wildcard.
 */
export function grantTableAccess(grantee: IGrantable, table: ITable, spec: TableSpec, access: TableAccess): void {
  if (access === 'read' || access === 'readWrite') {
    const indexArns = (spec.globalIndexes ?? []).map((index) => `${table.tableArn}/index/${index.indexName}`);
    grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: READ_ACTIONS, resources: [table.tableArn, ...indexArns] }));
  }
  if (access === 'write' || access === 'readWrite') {
    grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: WRITE_ACTIONS, resources: [table.tableArn] }));
  }
}
