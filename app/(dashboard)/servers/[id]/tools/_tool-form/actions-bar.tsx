// The form's buttons: add (or save) the tool, or go back to the server.
import Link from "next/link";
import { Button, buttonClasses } from "@/components/kit/button";

export function ActionsBar({
  serverId,
  editing,
  pending,
}: {
  serverId: string;
  editing: boolean;
  pending: boolean;
}) {
  return (
    <div className="flex flex-wrap items-center gap-3">
      <Button type="submit" variant="primary" pending={pending}>
        {pending ? (editing ? "Saving…" : "Adding…") : editing ? "Save changes" : "Add tool"}
      </Button>
      <Link href={`/servers/${serverId}`} className={buttonClasses("ghost")}>
        {editing ? "Back to the server" : "Cancel"}
      </Link>
    </div>
  );
}
