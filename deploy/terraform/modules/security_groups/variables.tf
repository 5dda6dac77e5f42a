variable "name" {
  description = "Prefix of resource names."
  type        = string
}

variable "vpc_id" {
  description = "The VPC the groups belong to."
  type        = string
}

variable "services" {
  description = "Per service: its port and the services that may call it (the gateway is reached from the load balancer)."
  type = map(object({
    port    = number
    callers = list(string)
  }))

  validation {
    condition     = contains(keys(var.services), "gateway")
    error_message = "services must include the gateway, the load balancer's target."
  }
}

variable "data_store_clients" {
  description = "The services that may reach PostgreSQL, Redis and RabbitMQ."
  type        = list(string)
}
