#!/bin/sh
# Writes the command of every job for samen-job@.service (run once as root).
set -e
mkdir -p /etc/samen/jobs
echo 'notifications send-pending' > /etc/samen/jobs/send-pending
echo 'reports refresh' > /etc/samen/jobs/reports-refresh
echo 'suggestions refresh --stale-minutes 50 --active-days 30' > /etc/samen/jobs/suggestions-refresh
echo 'asks expire' > /etc/samen/jobs/asks-expire
echo 'staff refresh-screening' > /etc/samen/jobs/refresh-screening
echo 'staff handover-reminders' > /etc/samen/jobs/handover-reminders
echo 'privacy retention' > /etc/samen/jobs/retention
echo 'digests send' > /etc/samen/jobs/digests
echo 'suggestions train' > /etc/samen/jobs/train
echo 'budgets count-ended' > /etc/samen/jobs/budgets-count
echo 'initiatives remind' > /etc/samen/jobs/activity-reminders
echo 'volunteering alert' > /etc/samen/jobs/vacancy-alerts
