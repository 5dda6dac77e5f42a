variable "name" {
  description = "Identifier of the instance and its groups."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets in at least two zones."
  type        = list(string)
}

variable "security_group_id" {
  description = "The group admitting the subgraphs and the migration task."
  type        = string
}

variable "instance_class" {
  description = "RDS instance class."
  type        = string
}

variable "engine_version" {
  description = "PostgreSQL version."
  type        = string
  default     = "17.6"
}

variable "allocated_storage_gb" {
  description = "Initial storage; autoscaling may grow it fivefold."
  type        = number
  default     = 50
}

variable "backup_retention_days" {
  description = "Days of automated backups (point-in-time recovery window)."
  type        = number
  default     = 14
}
