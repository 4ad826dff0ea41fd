# Databricks notebook source
# Runs on the pipeline's cluster before the SQL task; a real pipeline would validate its input here.
print("input looks fine")

# COMMAND ----------

dbutils.notebook.exit("ok")
