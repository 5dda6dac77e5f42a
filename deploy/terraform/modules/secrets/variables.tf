variable "prefix" {
  description = "Secret names are <prefix>/<secret> (e.g. airline/production/app)."
  type        = string
}

variable "postgres_url" {
  description = "POSTGRES_URL (server without database)."
  type        = string
  sensitive   = true
}

variable "redis_url" {
  description = "REDIS_URL."
  type        = string
  sensitive   = true
}

variable "amqp_url" {
  description = "AMQP_URL."
  type        = string
  sensitive   = true
}

variable "agent_email" {
  description = "AGENT_EMAIL."
  type        = string
}

variable "agent_password" {
  description = "AGENT_PASSWORD (12+ characters)."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.agent_password) >= 12
    error_message = "agent_password must be at least 12 characters (production refuses shorter)."
  }
}

variable "notification_providers" {
  description = "SMTP_URL, SMS_PROVIDER_URL, SMS_PROVIDER_API_KEY, PUSH_PROVIDER_URL, PUSH_PROVIDER_API_KEY."
  type        = map(string)
  sensitive   = true

  validation {
    condition = alltrue([
      for key in ["SMTP_URL", "SMS_PROVIDER_URL", "SMS_PROVIDER_API_KEY", "PUSH_PROVIDER_URL", "PUSH_PROVIDER_API_KEY"] :
      contains(keys(var.notification_providers), key)
    ])
    error_message = "notification_providers needs SMTP_URL, SMS_PROVIDER_URL, SMS_PROVIDER_API_KEY, PUSH_PROVIDER_URL and PUSH_PROVIDER_API_KEY."
  }
}
