import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { HearthAlarms } from '../alarms.ts';
import type { WiredFunction } from '../functions.ts';
import { triggersOf } from '../triggers.ts';
import { dashboardHeader, type DashboardLink } from './dashboard-frame.ts';
import { DataPipelinesDashboard } from './data-pipelines.ts';
import { DevicePlaneDashboard } from './device-plane.ts';
import { FleetOverviewDashboard } from './fleet-overview.ts';
import { GridEventsDashboard } from './grid-events.ts';

export interface HearthDashboardsProps {
  /** Prefix of every dashboard name, unique per deployment (`hearth-<environment>`). */
  readonly namePrefix: string;
  readonly functions: readonly WiredFunction[];
  readonly telemetryQueue?: IQueue;
  readonly deadLetterQueues: readonly { readonly name: string; readonly queue: IQueue }[];
  readonly api?: HttpApi;
  readonly alarms: HearthAlarms;
}

/** The four operator dashboards of a deployment, each linking to the others. */
export class HearthDashboards extends Construct {
  readonly fleetOverview: FleetOverviewDashboard;
  readonly gridEvents: GridEventsDashboard;
  readonly dataPipelines: DataPipelinesDashboard;
  readonly devicePlane: DevicePlaneDashboard;

  constructor(scope: Construct, id: string, props: HearthDashboardsProps) {
    super(scope, id);
    const link = (suffix: string, title: string): DashboardLink => ({ dashboardName: `${props.namePrefix}-${suffix}`, title });
    const links = {
      fleetOverview: link('fleet-overview', 'Fleet overview'),
      gridEvents: link('grid-events', 'Grid events'),
      dataPipelines: link('data-pipelines', 'Data pipelines'),
      devicePlane: link('device-plane', 'Device plane'),
    };
    const headerOf = (own: DashboardLink) =>
      dashboardHeader(
        `Hearth ${props.namePrefix}: ${own.title}`,
        Object.values(links).filter((l) => l !== own),
      );
    const { alarms } = props;

    this.fleetOverview = new FleetOverviewDashboard(this, 'FleetOverview', {
      dashboardName: links.fleetOverview.dashboardName,
      header: headerOf(links.fleetOverview),
      alarms: alarms.alarms,
    });
    this.gridEvents = new GridEventsDashboard(this, 'GridEvents', {
      dashboardName: links.gridEvents.dashboardName,
      header: headerOf(links.gridEvents),
      alarms: alarms.byConcern.gridEvents,
      api: props.api,
      webhookFunctions: props.functions.filter((f) => triggersOf(f.spec, 'http').length > 0),
    });
    this.dataPipelines = new DataPipelinesDashboard(this, 'DataPipelines', {
      dashboardName: links.dataPipelines.dashboardName,
      header: headerOf(links.dataPipelines),
      alarms: alarms.byConcern.dataPipelines,
      telemetryQueue: props.telemetryQueue,
      deadLetterQueues: props.deadLetterQueues,
    });
    this.devicePlane = new DevicePlaneDashboard(this, 'DevicePlane', {
      dashboardName: links.devicePlane.dashboardName,
      header: headerOf(links.devicePlane),
      alarms: alarms.byConcern.devicePlane,
      functions: props.functions,
    });
  }
}
