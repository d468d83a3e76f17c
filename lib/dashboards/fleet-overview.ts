import { Duration } from 'aws-cdk-lib';
import { Dashboard, GraphWidget, SingleValueWidget, type IAlarm, type IWidget } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { alignmentMetrics, planFreshnessMetrics, reconcileMetric } from '../device-health.ts';
import { fleetDiscomfortMetric, fleetMoneyMetrics, fleetPowerMetrics } from '../fleet-metrics.ts';
import { drPowerMetrics } from '../grid-event-metrics.ts';
import { alarmStrip } from './dashboard-frame.ts';

export interface FleetOverviewProps {
  readonly dashboardName: string;
  readonly header: IWidget;
  /** Every alarm of the deployment: this is the operator's landing page. */
  readonly alarms: readonly IAlarm[];
}

/**
 * The fleet at a glance: is it drawing what was planned, what the plans cost and earn, how comfortable the
 * rooms are, how many devices follow their plans, and whether demand response is delivered.
 */
export class FleetOverviewDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: FleetOverviewProps) {
    super(scope, id);
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: props.dashboardName, defaultInterval: Duration.days(2) });
    const freshness = planFreshnessMetrics();
    this.dashboard.addWidgets(props.header, alarmStrip('Alarms', props.alarms));
    this.dashboard.addWidgets(
      new SingleValueWidget({
        title: 'Fleet now',
        metrics: [reconcileMetric('registered'), reconcileMetric('online'), reconcileMetric('following'), freshness.expiringSoon, freshness.oldestAgeHours],
        width: 24,
        height: 3,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Fleet power: planned vs measured (kW)', left: fleetPowerMetrics(), width: 12, height: 6 }),
      new GraphWidget({ title: 'DR: target vs planned vs delivered (kW)', left: drPowerMetrics(), width: 12, height: 6 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Plans: energy cost, compute revenue, net cost (EUR, hourly replan)', left: fleetMoneyMetrics(), width: 12, height: 6 }),
      new GraphWidget({ title: 'Plans: discomfort (K·h)', left: [fleetDiscomfortMetric()], width: 12, height: 6 }),
    );
    this.dashboard.addWidgets(new GraphWidget({ title: 'Devices: online, following, lagging, diverged, offline, silent', left: alignmentMetrics(), width: 24, height: 6 }));
  }
}
