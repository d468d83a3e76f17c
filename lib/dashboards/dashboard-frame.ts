import { AlarmStatusWidget, TextWidget, type IAlarm, type IWidget } from 'aws-cdk-lib/aws-cloudwatch';

/** One dashboard's name and title, so each can link to its siblings. */
export interface DashboardLink {
  readonly dashboardName: string;
  readonly title: string;
}

/**
 * The title line of a Hearth dashboard with links to the others of the deployment (CloudWatch's
 * `#dashboards:name=` links open a dashboard in the same console).
 */
export function dashboardHeader(title: string, siblings: readonly DashboardLink[]): IWidget {
  const links = siblings.map((s) => `[${s.title}](#dashboards:name=${s.dashboardName})`).join(' · ');
  return new TextWidget({ markdown: `# ${title}\n${links}`, width: 24, height: 2 });
}

/** The alarm widget lays out about four alarms per row at full width. */
const ALARMS_PER_ROW = 4;

/** The alarms a dashboard is about, across its top, tall enough to show every one. */
export function alarmStrip(title: string, alarms: readonly IAlarm[]): IWidget {
  return new AlarmStatusWidget({ title, alarms: [...alarms], width: 24, height: 1 + Math.max(1, Math.ceil(alarms.length / ALARMS_PER_ROW)) });
}
