// After a change to a server or its tools: the servers list and the server's page are out of date.
import { revalidatePath } from "next/cache";

export function revalidateServer(serverId: string): void {
  revalidatePath("/servers");
  revalidatePath(`/servers/${serverId}`);
}
