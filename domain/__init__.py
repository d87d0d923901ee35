"""The ticket (工单) and its lifecycle rules: 事事有回音、件件有着落."""
