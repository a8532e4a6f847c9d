import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiForbiddenResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { MIRROR_EVENT_KINDS } from '../notifications/mirror-event.js';
import { CHANNEL_TYPES } from '../notifications/notification-channels.js';
import type { AdminNotificationChannelDto, NotificationTestResultDto } from './admin-notification-channel.dto.js';
import { AdminNotificationChannelsService } from './admin-notification-channels.service.js';
import { AdminTokenGuard } from './admin-token.guard.js';
import { RateLimit } from '#infrastructure/rate-limit/rate-limit-tier.js';

const CHANNEL_BODY = {
  schema: {
    type: 'object',
    properties: {
      type: { type: 'string', enum: [...CHANNEL_TYPES] },
      name: { type: 'string', description: 'unique among file and admin channels' },
      url: { type: 'string', example: 'https://oapi.dingtalk.com/robot/send?access_token=…' },
      secret: {
        type: 'string',
        nullable: true,
        description: 'webhook (HMAC-SHA256 signature header), dingtalk and feishu (signed requests)',
      },
      format: { type: 'string', enum: ['text', 'card'], nullable: true, description: 'feishu only; default card' },
      events: {
        type: 'array',
        items: { type: 'string', enum: [...MIRROR_EVENT_KINDS] },
        nullable: true,
        description: 'default every event',
      },
    },
  },
};

@ApiTags('admin')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'Missing or wrong bearer token' })
@ApiForbiddenResponse({ description: 'ADMIN_TOKEN is not set: the admin API is disabled' })
@UseGuards(AdminTokenGuard)
@Controller('admin/notification-channels')
export class AdminNotificationChannelsController {
  constructor(private readonly channels: AdminNotificationChannelsService) {}

  @Get()
  @ApiOperation({ summary: 'Notification channels of the file (read-only) and of the admin API; URL credentials and secrets masked' })
  list(): Promise<AdminNotificationChannelDto[]> {
    return this.channels.list();
  }

  @Post()
  @ApiOperation({ summary: 'Add a channel (same rules as NOTIFICATIONS_CONFIG; 400 names the field); used from the next event on' })
  @ApiBody({ ...CHANNEL_BODY, required: true })
  create(@Body() body: unknown): Promise<AdminNotificationChannelDto> {
    return this.channels.create(body);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change an admin channel (null clears secret, format or events; masked values sent back keep the stored ones)' })
  @ApiBody({ ...CHANNEL_BODY, required: true })
  update(@Param('id') id: string, @Body() body: unknown): Promise<AdminNotificationChannelDto> {
    return this.channels.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an admin channel (file channels: 409, edit the file)' })
  remove(@Param('id') id: string): Promise<void> {
    return this.channels.remove(id);
  }

  @Post(':id/test')
  @RateLimit('expensive')
  @HttpCode(200)
  @ApiOperation({ summary: "Send a test message through the channel's provider and report the receiver's HTTP status" })
  test(@Param('id') id: string): Promise<NotificationTestResultDto> {
    return this.channels.test(id);
  }
}
