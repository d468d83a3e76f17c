import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption, type Attribute } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { tables, type KeyAttribute, type TableKey, type TableSpec } from '../wiring/tables.ts';

const attribute = (key: KeyAttribute): Attribute => ({
  name: key.name,
  type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

/** One DynamoDB table per entry of `wiring/tables.ts`. */
export class HearthTables extends Construct {
  private readonly byKey = new Map<TableKey, Table>();

  constructor(scope: Construct, id: string) {
    super(scope, id);
    for (const [key, spec] of Object.entries(tables) as [TableKey, TableSpec][]) {
      const table = new Table(this, spec.id, {
        partitionKey: attribute(spec.partitionKey),
        ...(spec.sortKey ? { sortKey: attribute(spec.sortKey) } : {}),
        // Load follows the fleet and the price calendar (bursts at day-ahead publication): no capacity to plan.
        billingMode: BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        // AWS managed key: encryption visible in the template and in CloudTrail, no key policy to maintain.
        encryption: TableEncryption.AWS_MANAGED,
        ...(spec.ttlAttribute ? { timeToLiveAttribute: spec.ttlAttribute } : {}),
        // Registry, plans, DR events and telemetry history are evidence for measurement & verification and
        // cannot be recomputed. A stack deletion or a construct-id change by a refactor must never drop them;
        // table names are generated, so a re-created stack gets fresh tables beside the retained ones.
        removalPolicy: RemovalPolicy.RETAIN,
      });
      for (const index of spec.globalIndexes ?? []) {
        table.addGlobalSecondaryIndex({
          indexName: index.indexName,
          partitionKey: attribute(index.partitionKey),
          ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
        });
      }
      this.byKey.set(key, table);
    }
  }

  table(key: TableKey): Table {
    const table = this.byKey.get(key);
    if (!table) throw new Error(`no table '${key}' in wiring/tables.ts`);
    return table;
  }
}
