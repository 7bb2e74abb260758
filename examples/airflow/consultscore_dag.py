"""Nightly ConsultScore run, scheduled by Apache Airflow.

Needs Airflow 2.4 or later and the apache-airflow-providers-apache-spark package. The Spark
connection (``spark_default`` here) sets the master (yarn, k8s://..., spark://...) and the
deploy mode. In client mode the driver runs on the Airflow worker and reads the config from
its disk, and CONSULTSCORE_PSEUDONYM_KEY must be set in the worker's environment (for example
from a secrets backend). It is deliberately not passed through Airflow templates, because
rendered templates are visible in the web UI.

Retries are safe because a run replaces its periods in one Delta commit per table: a retry or a
manual rerun leaves one copy of every period. ``--period {{ ds }}`` passes the logical date,
which is the day before the run. The job scores the period that contains it (a day, week or
month, per the config's period.grain) and the config's lookback periods.
"""

from datetime import timedelta

import pendulum
from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

CONSULTSCORE_HOME = "/opt/consultscore"

# The job's command line after the jar. Keep it a list of string literals: a test reads it
# from this file and parses it with the job's command line parser.
APPLICATION_ARGS = [
    "run",
    "--config", "/opt/consultscore/conf/cluster.conf",
    "--period", "{{ ds }}",
]

with DAG(
    dag_id="consultscore_nightly",
    description="Score and segment consultants and publish the Delta tables",
    # 02:30 in the timezone of start_date, after the day's session export has landed.
    schedule="30 2 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="Asia/Shanghai"),
    catchup=False,
    # One run at a time. Overlapping runs are still correct, but they would do the work twice.
    max_active_runs=1,
    default_args={
        "retries": 2,
        "retry_delay": timedelta(minutes=15),
        "retry_exponential_backoff": True,
        "execution_timeout": timedelta(hours=3),
    },
    tags=["consultscore"],
) as dag:
    SparkSubmitOperator(
        task_id="score_consultants",
        conn_id="spark_default",
        application=CONSULTSCORE_HOME + "/consultscore.jar",
        java_class="org.consultscore.cli.ConsultScoreCli",
        # Delta is not part of a Spark distribution. Teams without internet access on the
        # cluster put delta-spark and delta-storage on it and use jars= instead.
        packages="io.delta:delta-spark_2.12:3.3.2",
        properties_file=CONSULTSCORE_HOME + "/conf/spark-defaults.conf",
        name="consultscore-{{ ds }}",
        application_args=APPLICATION_ARGS,
    )
